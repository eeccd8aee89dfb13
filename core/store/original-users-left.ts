// The original's users.json in a data folder IMS Lab has used already. It is imported at a data folder's
// first start only (appliance.ts: afterwards the users live in the database, changed by MML), so one put
// there later (a folder started before the file was copied in, the move done in two steps) was ignored
// without a word. A start reads it only when it changed since the last read (its size and modification
// time, kept in the settings table): then, if it holds users the database does not have, or a password
// or status other than the database's (a hand edit, the original's way to change or lock out a user,
// which it read at the next REGISTER), one line names them, with the commands that apply them. Read at every start, a 100,000-user file cost 2.5 s of each, and
// named as missing the users deleted since it was imported, with advice that brought them back.
import { readFileSync, statSync } from 'node:fs';
import { problemText, readOriginalUsers } from './original-users';
import { utf8Text } from '../config/text-file';
import { ha1 } from '../sip/auth/ha1';
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

/** Up to NAMED of `items`, then "..." when there are more. */
const named = (items: string[]): string =>
  items.slice(0, NAMED).join(', ') + (items.length > NAMED ? ', ...' : '');

/**
 * The line to log about `file` (the original's users.json, present), or undefined when the database has
 * what a user of it relies on. Compared by username, password (its HA1 for the realm stored, so that no
 * password is read back or printed) and status (a status the original's file locked a user out with);
 * each difference is named with the command that applies it. Nothing is applied: the users live in the
 * database, and the file's other fields (display name, phone, ...) are not compared.
 */
export function originalUsersLeft(
  file: string,
  name: string,
  users: Pick<UserStore, 'credentials'>,
): string | undefined {
  const importIt = `IMP USER FILE=${name} MODE=UPSERT`;
  const how = `${importIt} imports it (and updates the users the database has too)`;
  const once = 'said once: the file is not read again until it changes';
  const head = `users: ${file}, the original's users file, is imported at a data folder's first start only`;
  let text: string;
  try {
    text = utf8Text(readFileSync(file), (problem) => new Error(`it ${problem}: save it as UTF-8`));
  } catch (err) {
    return `${head}, and cannot be read (${(err as Error).message}); once mended, ${how}; ${once}`;
  }
  const read = readOriginalUsers(text);
  const problem = read.problems[0];
  if (problem !== undefined)
    return `${head}, and cannot be imported as it is (${problemText(problem)}); once mended, ${how}; ${once}`;
  const missing: string[] = [];
  const passwords: string[] = [];
  const statuses: string[] = [];
  for (const e of read.entries) {
    const ours = users.credentials(e.username);
    if (ours === undefined) missing.push(e.username);
    else {
      if (ha1('MD5', e.username, ours.realm, e.password) !== ours.ha1.MD5) passwords.push(e.username);
      // A status the file does not give is not one it differs in (an import keeps the user's).
      if (e.status !== undefined && e.status !== ours.status)
        statuses.push(`MOD USER USERNAME=${e.username} STATUS=${e.status}`);
    }
  }
  const found: string[] = [];
  if (missing.length > 0)
    found.push(`${missing.length} of its users are not in the database (${named(missing)}): ${how}`);
  if (passwords.length > 0)
    found.push(
      `${passwords.length} have another password there (${named(passwords)}; not shown): MOD USER USERNAME=<user> PASSWORD=<the file's> sets one (${importIt} sets them all)`,
    );
  if (statuses.length > 0) found.push(`${statuses.length} have another status there: ${named(statuses)}`);
  if (found.length === 0) return undefined;
  return `${head}, and differs from the database (users, passwords and statuses compared; other fields not): ${found.join('; ')}; ${once}`;
}
