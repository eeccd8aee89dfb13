// Headless entry: `node out/core/server.js` (or `node core/server.js`). Builds the appliance from
// IMS_DATA_DIR (default ./data), <dataDir>/config.json and the environment, starts it, and stops it
// cleanly on SIGTERM/SIGINT: stop accepting, save pending work, close the database, exit 0.
import { Appliance } from './appliance';
import { SettingError, loadSettings } from './config/settings';
import { IMS_VERSION } from './version';
import { usersImport, USERS_IMPORT_USAGE } from './cli/users-import';

async function main(): Promise<void> {
  const dataDir = process.env.IMS_DATA_DIR ?? './data';
  let appliance: Appliance;
  try {
    appliance = new Appliance({ dataDir, settings: loadSettings(dataDir) });
  } catch (err) {
    if (err instanceof SettingError) {
      process.stderr.write(`ims-lab: configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  process.stdout.write(`IMS Lab ${IMS_VERSION} (headless), Node ${process.version}, data in ${dataDir}\n`);
  // Signals are handled from here on, also while starting: stop() waits for start() to settle.
  const starting = appliance.start();

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    // Whatever happens, be gone within 5 seconds.
    setTimeout(() => process.exit(1), 5000).unref();
    starting
      .catch(() => undefined)
      .then(() => appliance.stop())
      .then(() => {
        process.stdout.write(`${signal}: stopped\n`);
        process.exit(0);
      })
      .catch((err: unknown) => {
        process.stderr.write(`ims-lab: error while stopping: ${String(err)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await starting;
}

/** Subcommands beside the server itself. */
function command(args: string[]): number | undefined {
  if (args.length === 0) return undefined;
  const dataDir = process.env.IMS_DATA_DIR ?? './data';
  if (args[0] === 'users' && args[1] === 'import') return usersImport(args.slice(2), dataDir, process.stdout);
  process.stderr.write(`ims-lab: unknown command "${args.join(' ')}"\n${USERS_IMPORT_USAGE}\n`);
  return 2;
}

const code = command(process.argv.slice(2));
if (code !== undefined) process.exit(code);

main().catch((err: unknown) => {
  process.stderr.write(`ims-lab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
