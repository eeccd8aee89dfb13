// The original's users.json in a data folder IMS Lab has used already. It is imported at a data folder's
// first start only (appliance.ts: afterwards the users live in the database, changed by MML), so one put
// there later (a folder started before the file was copied in, the move done in two steps) was ignored
// without a word. While it holds users the database does not have, each start says so in one line, with
// the command that imports it; a file whose users are all there (imported at the first start) is quiet.
import { readFileSync } from 'node:fs';
import { problemText, readOriginalUsers } from './original-users';
import { utf8Text } from './text-file';
import type { UserStore } from './types';

/** Usernames a line names before "...". */
const NAMED = 5;

/** The line to log about `file` (the original's users.json, present), or undefined when all is there. */
export function originalUsersLeft(
  file: string,
  name: string,
  users: Pick<UserStore, 'get'>,
): string | undefined {
  const how = `IMP USER FILE=${name} MODE=UPSERT imports it (and updates the users the database has too)`;
  const head = `users: ${file}, the original's users file, is imported at a data folder's first start only`;
  let text: string;
  try {
    text = utf8Text(readFileSync(file), (problem) => new Error(`it ${problem}: save it as UTF-8`));
  } catch (err) {
    return `${head}, and cannot be read (${(err as Error).message}); once mended, ${how}`;
  }
  const read = readOriginalUsers(text);
  const problem = read.problems[0];
  if (problem !== undefined)
    return `${head}, and cannot be imported as it is (${problemText(problem)}); once mended, ${how}`;
  const missing = read.entries.map((e) => e.username).filter((u) => users.get(u) === undefined);
  if (missing.length === 0) return undefined;
  const named = missing.slice(0, NAMED).join(', ') + (missing.length > NAMED ? ', ...' : '');
  return `${head}: ${missing.length} of its users are not in the database (${named}); ${how}`;
}
