// Where a MEDIA_FILE (DIALER.MEDIA_FILE, STR CALL MEDIA_FILE=) may be looked for: inside the data folder,
// the installed app's folders or the packaged app's resources, never elsewhere on the host (MEDIA_FILE
// comes over MML; config.json's value is held to the same rule at start-up). The original named its
// prompt `media/default.wav` relative to its own project folder: here, relative to these folders (the
// data folder's media/ first, where uploads go). Not the working folder: a packaged macOS app runs in
// `/`, a launcher in the home folder, so any WAV there was accepted; and never a filesystem root (the
// Docker image's /app/core/server.js made `/` one of the app's folders).
import { dirname, join, resolve } from 'node:path';
import { pathInside } from '../store/inside-folder';

/** A filesystem root (`/`, `C:\`): no folder a prompt may be anywhere under. */
const isFilesystemRoot = (dir: string): boolean => dirname(resolve(dir)) === resolve(dir);

/** Where a relative MEDIA_FILE is looked for, in order. */
export function mediaRoots(dataDir: string, appDirs: readonly string[] = []): string[] {
  const roots = [dataDir, ...appDirs];
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources !== undefined) roots.push(resources);
  return [...new Set(roots.map((r) => resolve(r)))].filter((r) => !isFilesystemRoot(r));
}

/** The paths `file` may be in the roots (none: it leads outside every one of them). */
export function mediaCandidates(file: string, roots: readonly string[]): string[] {
  // A bare name is a prompt's: looked for in media/ first, where uploads go and prompts belong.
  const names = /[\\/]/.test(file) ? [file] : [join('media', file), file];
  return roots.flatMap((root) => names.flatMap((n) => pathInside(root, n) ?? []));
}

/** Why `file` may not be a MEDIA_FILE (outside every root), or undefined. */
export const MEDIA_OUTSIDE = "outside the data folder and the app's folders: put the prompt in media/";
