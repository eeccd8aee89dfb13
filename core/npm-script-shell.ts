// `npm start` and `npm run start:headless` run the server through the shell npm starts for the script
// (`sh -c "npm run build && node ..."`). npm passes SIGTERM and SIGINT on to that shell only; the shell
// dies of it (dash neither forwards a signal nor, after `&&`, execs the last command), npm exits 143, and
// the server, re-parented, kept running with its ports and the data folder's lock (a CI job's next start
// was refused). `exec` in the script would fix it for sh only: Windows runs npm scripts in cmd.exe.
// So under those scripts the server watches its parent and stops, as on SIGTERM, once the shell is gone.

/** The npm scripts (package.json) whose shell starts the server. */
const NPM_START_SCRIPTS = new Set(['start', 'start:headless']);

/** How often the parent is looked at (a getppid() call). */
export const PARENT_CHECK_MS = 250;

/**
 * When this process was started by one of the npm start scripts, calls `gone` once the process that
 * started it (the script's shell) has ended, seen as a new parent process.
 */
export function stopWithNpmScript(env: NodeJS.ProcessEnv, parentPid: () => number, gone: () => void): void {
  if (!NPM_START_SCRIPTS.has(env.npm_lifecycle_event ?? '')) return;
  const shell = parentPid();
  const timer = setInterval(() => {
    if (parentPid() === shell) return;
    clearInterval(timer);
    gone();
  }, PARENT_CHECK_MS);
  // The watch alone does not keep the process alive.
  timer.unref();
}
