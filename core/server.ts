// Headless entry: `node out/core/server.js` (or `node core/server.js`). Builds the appliance from
// IMS_DATA_DIR (default ./data), <dataDir>/config.json and the environment, starts SIP and the web
// console (HTTP + WebSocket on HTTP_HOST:HTTP_PORT), and stops cleanly on SIGTERM/SIGINT/SIGHUP: stop
// accepting, finish CDR writes, close the database, exit 0 within 5 seconds.
// Subcommands: `users import <file>` (offline import) and `mml "<command>"` (against a running server).
import { join, resolve } from 'node:path';
import { Appliance } from './appliance';
import { loadSettings } from './config/settings';
import { emptyVariables, unknownVariables } from './config/env-names';
import { originalVariables } from './config/original-env-names';
import { startupFault } from './cli/startup-fault';
import { MML_USAGE, mmlClient } from './cli/mml-client';
import { usersImport, USERS_IMPORT_USAGE } from './cli/users-import';
import { AdminAuth } from './http/admin-auth';
import { portCheck } from './sip/transport/listener-settings';
import { WebServer } from './http/web-server';
import { CONSOLE_ADDRESS_FILE, removeConsoleAddress, writeConsoleAddress } from './http/console-address';
import { applianceMetrics } from './http/metrics-page';
import { IMS_VERSION } from './version';
import { lockDataFolder, type FolderLock } from './store/folder-lock';
import { checkDataFolderName } from './store/data-folder-name';
import { stopWithNpmScript } from './npm-script-shell';
import { onProcessFault } from './cli/process-fault';
import { hangupIgnored } from './cli/hangup';

/**
 * IMS_DATA_DIR (default ./data; empty taken as unset, as for every other variable) as an absolute path:
 * the start's first line, its log and its messages name the folder wherever the server was started from
 * (./data is the working folder's). Trimmed as the ports are: `IMS_DATA_DIR= /data` in an env file started
 * on a new, empty folder named " /data" under the working folder. A folder an older build made with the
 * blank in its name is not left behind silently: the start is refused (data-folder-name.ts).
 */
const dataDirOf = (env: NodeJS.ProcessEnv): string => resolve(env.IMS_DATA_DIR?.trim() || './data');

/** A fault the operator can act on: one line, exit 2; anything else is rethrown (a defect: its stack). */
function exitOnFault(err: unknown, dataDir: string): never {
  const fault = startupFault(err, dataDir);
  if (fault === undefined) throw err;
  process.stderr.write(`ims-lab: ${fault}\n`);
  process.exit(2);
}

/**
 * The signals that stop the server. SIGHUP too: the terminal it was started from closing (an SSH session
 * ending) lost the last CDR rows (exit 129, none of this); and SIGQUIT. But not SIGHUP when the server was
 * started by nohup (or with SIGHUP ignored): then it is ignored, as nohup means (cli/hangup.ts).
 */
const HANGUP_IGNORED = hangupIgnored();
const SIGNALS = (['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'] as const).filter(
  (s) => s !== 'SIGHUP' || HANGUP_IGNORED === undefined,
);

/** The data folder's lock, referenced for the process's life (a collected connection would let it go). */
let folderLock: FolderLock | undefined;

async function main(): Promise<void> {
  const dataDir = dataDirOf(process.env);
  // With the terminal gone, what stdout cannot take is dropped: the day's log has it.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  process.stdout.write(`IMS Lab ${IMS_VERSION} (headless), Node ${process.version}, data in ${dataDir}\n`);
  // A signal while the ports are checked ends it at once: nothing is open yet.
  const early = (signal: NodeJS.Signals): void => {
    folderLock?.release();
    process.stdout.write(`${signal}: stopped\n`);
    process.exit(0);
  };
  for (const signal of SIGNALS) process.on(signal, early);
  // Node's default for SIGHUP ends the process: a handler that says it and goes on.
  let opened: Appliance | undefined;
  if (HANGUP_IGNORED !== undefined) {
    const why = `SIGHUP ignored (${HANGUP_IGNORED}): stop IMS Lab with SIGTERM`;
    process.on('SIGHUP', () =>
      opened !== undefined ? opened.logger.for('appliance').info(why) : process.stdout.write(`${why}\n`),
    );
  }
  // Under `npm start`, npm's SIGTERM ends only the script's shell: its end stops the server as well.
  stopWithNpmScript(
    process.env,
    () => process.ppid,
    () => {
      process.stdout.write('The npm script that started IMS Lab has ended: stopping as on SIGTERM\n');
      process.kill(process.pid, 'SIGTERM');
    },
  );
  let appliance: Appliance;
  /** The clean stop, once the appliance is open (a fault before it exits as Node would, 1). */
  let stopFor: ((why: string, code: number) => void) | undefined = undefined;
  // A defect nothing caught: in the day's log, then the usual stop, exit 1 (core/cli/process-fault.ts).
  onProcessFault({
    target: process,
    dataDir,
    logger: () => opened?.logger,
    stop: (fault) => (stopFor !== undefined ? stopFor(fault.kind, 1) : process.exit(1)),
  });
  try {
    checkDataFolderName(process.env.IMS_DATA_DIR, dataDir);
    // Held until the process ends (the operating system lets it go, however it ends).
    folderLock = lockDataFolder(dataDir);
    // An earlier run's (killed): its port is not this run's.
    removeConsoleAddress(dataDir);
    const settings = loadSettings(dataDir);
    appliance = await Appliance.open(
      {
        dataDir,
        settings,
        // The checkout (out/core/server.js → ./media) or the image (/app/core/server.js → /app/media).
        appDirs: [join(__dirname, '..', '..'), join(__dirname, '..')],
      },
      // The console's port with the SIP ones, before the database is upgraded: a start refused for it
      // leaves the folder to the IMS Lab that holds the port (an older one, perhaps).
      [portCheck(settings, 'HTTP.PORT', 'HTTP.HOST', 'TCP')],
    );
    opened = appliance;
  } catch (err) {
    exitOnFault(err, dataDir);
  }
  // A mistyped variable (SIP_PROT=5070) is said, not ignored; the start goes on (env-names.ts).
  // The original's SERVER_PORT likewise, naming SIP_PORT (original-env-names.ts).
  for (const w of [...unknownVariables(process.env), ...originalVariables(process.env)])
    appliance.logger.for('config').warning(w);
  for (const w of emptyVariables(process.env)) appliance.logger.for('config').warning(w);
  if (HANGUP_IGNORED !== undefined)
    appliance.logger.for('appliance').info(`SIGHUP will be ignored (${HANGUP_IGNORED}): stop with SIGTERM`);
  // Signals are handled from here on, also while starting: stop() waits for start() to settle.
  let web: WebServer | undefined;
  let stopping = false;
  /** 0 after a signal; 1 once a fault came (also while a signal's stop runs). */
  let exitCode = 0;
  let starting: Promise<void> = Promise.resolve();
  const stop = (signal: string, code = 0): void => {
    exitCode = Math.max(exitCode, code);
    if (stopping) return;
    stopping = true;
    // In the day's log too, not only on stdout: the file says why it ends here.
    appliance.logger.for('appliance').info(`${signal}: stopping`);
    // Whatever happens, be gone within 5 seconds.
    setTimeout(() => process.exit(1), 5000).unref();
    appliance.stopRehearsal();
    starting
      .catch(() => undefined)
      .then(async () => {
        // The console server stops taking requests at once; the appliance's clean stop (the CDR rows of
        // the calls in progress, "System shutdown") does not wait for its last consoles to go.
        const webStopped = web?.stop();
        removeConsoleAddress(dataDir);
        await appliance.stop();
        await webStopped;
      })
      .then(() => {
        folderLock?.release();
        process.stdout.write(`${signal}: stopped\n`);
        process.exit(exitCode);
      })
      .catch((err: unknown) => {
        process.stderr.write(`ims-lab: error while stopping: ${String(err)}\n`);
        process.exit(1);
      });
  };
  // stop() first: a signal's watcher ends with its last listener, and a signal pending then is lost.
  for (const signal of SIGNALS) process.on(signal, () => stop(signal)).off(signal, early);
  stopFor = stop;

  starting = (async () => {
    const httpPort = appliance.settings.int('HTTP.PORT');
    const auth = new AdminAuth(
      appliance.db,
      process.env.IMS_ADMIN_PASSWORD,
      Date.now,
      appliance.logger.for('http'),
    );
    // Shown as soon as it is stored: a first start that stops before the console is up (a signal during
    // the warm-up; a port taken stopped it before the database was opened) would otherwise keep a
    // password nobody ever saw.
    if (auth.generated !== undefined) {
      process.stdout.write(
        `Admin password (generated, shown this once; set IMS_ADMIN_PASSWORD to choose it): ${auth.generated}\n`,
      );
    }
    web = new WebServer(
      appliance,
      auth,
      {
        host: appliance.settings.str('HTTP.HOST'),
        port: httpPort,
        // out/core/server.js → out/renderer (in the image: /app/core/server.js → /app/renderer).
        rendererDir: join(__dirname, '..', 'renderer'),
        metrics: () => applianceMetrics(appliance),
      },
      appliance.logger.for('http'),
    );
    await appliance.start();
    if (stopping) return;
    const port = await web.start();
    const host = appliance.settings.str('HTTP.HOST');
    appliance.transport.console = { host, port }; // told to an HTTP request on a SIP port
    // For the Docker HEALTHCHECK: the port in use, not the one config.json may say after SAVE CFG.
    try {
      writeConsoleAddress(dataDir, host, port);
    } catch (err) {
      appliance.logger
        .for('http')
        .warning(`cannot write ${CONSOLE_ADDRESS_FILE} (the Docker HEALTHCHECK reads it): ${String(err)}`);
    }
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    // RFC 3986 §3.2.2: an IPv6 literal in a URL goes in brackets.
    const urlHost = shown.includes(':') ? `[${shown}]` : shown;
    const bound = host.includes(':') ? `[${host}]` : host;
    // After the start's log lines (written in batches): "Console on" came before "SIP on" in a pipe.
    appliance.logger.flushSync();
    process.stdout.write(`Console on http://${urlHost}:${port}/ (HTTP on ${bound}:${port})\n`);
  })();
  try {
    await starting;
  } catch (err) {
    // Whatever was started is stopped first (a port in use was found before the database was opened:
    // Appliance.open).
    await appliance.stop().catch(() => undefined);
    exitOnFault(err, dataDir);
  }
}

/** Subcommands beside the server itself; undefined when the server should run. */
async function command(args: string[]): Promise<number | undefined> {
  if (args.length === 0) return undefined;
  const dataDir = dataDirOf(process.env);
  if (args[0] === 'users' && args[1] === 'import') {
    try {
      checkDataFolderName(process.env.IMS_DATA_DIR, dataDir);
    } catch (err) {
      exitOnFault(err, dataDir);
    }
    return usersImport(args.slice(2), dataDir, process.stdout);
  }
  if (args[0] === 'mml') return mmlClient(args.slice(1), process.env, process.stdout, process.stderr);
  if (args[0] === '--version' || args[0] === '-v') {
    process.stdout.write(`IMS Lab ${IMS_VERSION}\n`);
    return 0;
  }
  if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  process.stderr.write(`ims-lab: unknown command "${args.join(' ')}"\n${USAGE}\n`);
  return 2;
}

const USAGE = [
  'usage: node core/server.js                 runs the appliance (SIP, the web console); settings from',
  '                                            the environment and <IMS_DATA_DIR>/config.json (README,',
  '                                            "Running headless"), IMS_DATA_DIR=./data by default',
  USERS_IMPORT_USAGE,
  MML_USAGE,
  '       node core/server.js --version | --help',
].join('\n');

command(process.argv.slice(2))
  .then((code) => (code === undefined ? main() : process.exit(code)))
  .catch((err: unknown) => {
    process.stderr.write(`ims-lab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
