// The original kept its CDR day files and logs in CDR/ and logs/ of the folder it ran in, beside data/
// (original-server.md §3.1, §8; its README: "CDR/2025-11-01/cdr_2025-11-01.csv"), while IMS Lab keeps
// both in its data folder, which defaults to ./data, the original's data/. Started in the original's
// folder, IMS Lab would import its users.json but not its calls, and write its own CDR where the
// original's users never look. The folders found beside the data folder are named in the log at start,
// with where to move them; nothing is moved or read.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Does `folder` hold at least one day folder with a `file(day)` in it? */
function holdsDays(folder: string, file: (day: string) => string): boolean {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return false;
  return readdirSync(folder).some((day) => DAY.test(day) && existsSync(join(folder, day, file(day))));
}

/**
 * The original's CDR/ and logs/ folders beside the data folder (in its parent), each with at least one
 * day of the original's layout; none when the data folder is the parent's own CDR/ logs/ holder.
 */
export function originalFoldersBeside(dataDir: string): { cdr?: string; logs?: string } {
  const data = resolve(dataDir);
  const parent = dirname(data);
  if (parent === data) return {};
  const cdr = join(parent, 'CDR');
  const logs = join(parent, 'logs');
  return {
    ...(holdsDays(cdr, (day) => `cdr_${day}.csv`) ? { cdr } : {}),
    ...(holdsDays(logs, () => 'ims-sip-server.log') ? { logs } : {}),
  };
}

/** The log lines that name them, with where IMS Lab keeps them instead. */
export function originalFoldersBesideText(dataDir: string): string[] {
  const found = originalFoldersBeside(dataDir);
  const lines: string[] = [];
  if (found.cdr !== undefined)
    lines.push(
      `the original's CDR folder ${found.cdr} is beside the data folder: IMS Lab keeps CDR in ${join(resolve(dataDir), 'CDR')}; move the original's day folders there to have them imported (DSP CDR, EXP CDR)`,
    );
  if (found.logs !== undefined)
    lines.push(
      `the original's logs folder ${found.logs} is beside the data folder: IMS Lab writes its logs to ${join(resolve(dataDir), 'logs')}; move the original's day folders there for DSP LOG DATE=`,
    );
  return lines;
}
