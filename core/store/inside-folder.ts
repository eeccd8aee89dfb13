// Paths an operator gives over MML (IMP USER FILE=, STR CALL BATCH FILE=, MEDIA_FILE=): MML runs over the
// network with the console's password, which must not open the host's files to whoever holds it. A path
// is taken relative to a folder, or absolute inside it; one that leads outside (../, an absolute path
// elsewhere, a symbolic link out) is refused.
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/** Is `path` the folder itself or inside it (after symbolic links, for what exists)? */
export function isInside(folder: string, path: string): boolean {
  const real = (p: string): string => (existsSync(p) ? realpathSync(p) : p);
  const within = (root: string, p: string): boolean => {
    const r = relative(root, p);
    return r === '' || (!r.startsWith('..') && !isAbsolute(r));
  };
  const root = resolve(folder);
  const file = resolve(root, path);
  return within(root, file) && within(real(root), real(file));
}

/** `given` resolved against `folder`, or undefined when it leads outside it. */
export function pathInside(folder: string, given: string): string | undefined {
  const file = resolve(folder, given);
  return isInside(folder, file) ? file : undefined;
}
