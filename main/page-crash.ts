// The window's page is a process of its own: when it crashes or is killed (out of memory, a GPU driver,
// the OS), the window stays, blank, and the appliance behind it runs on. The page is loaded again, a few
// times a minute at most (a page that crashes as it loads would otherwise reload for ever), and each
// time is said in the appliance's log, not only on a packaged app's stderr, which nobody reads.
import type { WebContents } from 'electron';

/** Reloads within this window of time, at most. */
export const CRASH_RELOADS = 3;
export const CRASH_WINDOW_MS = 60_000;

export function reloadAfterCrash(
  contents: WebContents,
  warn: (message: string) => void,
  now: () => number = Date.now,
): void {
  const reloads: number[] = [];
  contents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return;
    const at = now();
    while (reloads.length > 0 && at - reloads[0]! > CRASH_WINDOW_MS) reloads.shift();
    const what = `the window's page is gone (${details.reason}, exit code ${details.exitCode})`;
    if (reloads.length >= CRASH_RELOADS) {
      warn(`${what}, ${CRASH_RELOADS} times in a minute: not reloaded again (View > Reload)`);
      return;
    }
    reloads.push(at);
    warn(`${what}: reloading it; the appliance runs on`);
    if (!contents.isDestroyed()) contents.reload();
  });
}
