// The original's users.json in a data folder IMS Lab has used already. It is imported at a data folder's
// first start only (appliance.ts: afterwards the users live in the database, changed by MML), so one put
// there later (a folder started before the file was copied in, the move done in two steps) was ignored
// without a word. A start reads it only when it changed since the last read (its size and modification
// time, kept in the settings table): then, if it holds users the database does not have, one line says
// so, with the command that imports it. Read at every start, a 100,000-user file cost 2.5 s of each, and
// named as missing the users deleted since it was imported, with advice that brought them back.
import { readFileSync, statSync } from 'node:fs';
import { problemText, readOriginalUsers } from './original-users';
import { utf8Text } from '../config/text-file';
import type { UserStore } from './types';

/** The settings table's key of the mark of the file last read. */
export const ORIGINAL_USERS_READ = 'original_users.read';

/**
 * The schema from which every IMS Lab records the mark (some of schema 8 did, most did not). A folder an
 * IMS Lab of an older schema used has no mark, though it imported the file at its first start as this one
 * does: were it compared now, the users the operator removed since would be named as missing, with
 * advice (MODE=UPSERT) that brings them back and puts the file's passwords over the ones changed since.
 * Such a folder with users has its file taken as read, and one line says how to import it if it was put
 * there since.
 */
export const READ_MARKED_SINCE_SCHEMA = 9;

/** The INFO line for a file taken as read in a folder an older IMS Lab used (READ_MARKED_SINCE_SCHEMA). */
export function originalUsersTakenAsRead(file: string, name: string, schema: number): string {
  return (
    `users: ${file}, the original's users file, is taken as read: the IMS Lab that used this folder ` +
    `before (schema ${schema}) read it (at the folder's first start) but kept no record of that, so it is ` +
    `not compared with the database (users removed since stay removed); if it was put there later, ` +
    `IMP USER FILE=${name} MODE=UPSERT imports it`
  );
}

/** What tells a version of the file from another without reading it: its size and modification time. */
export function fileMark(file: string): string {
  const st = statSync(file);
  return `${st.size}:${st.mtimeMs}`;
}

/** Usernames a line names before "...". */
const NAMED = 5;

/** The line to log about `file` (the original's users.json, present), or undefined when all is there. */
export function originalUsersLeft(
  file: string,
  name: string,
  users: Pick<UserStore, 'get'>,
): string | undefined {
  const how =
    `IMP USER FILE=${name} MODE=UPSERT imports it (and updates the users the database has too); ` +
    'said once: the file is not read again until it changes';
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
