// Headless entry: `node out/core/server.js`. At this stage it reports its version and configuration and
// waits for SIGTERM/SIGINT; the SIP stack, store and HTTP console are wired in by later issues
// through core/appliance.ts.
import { ConfigError, configFromEnv } from './config/env';
import { IMS_VERSION } from './version';

function main(): void {
  let config;
  try {
    config = configFromEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ims-lab: configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  process.stdout.write(`IMS Lab ${IMS_VERSION} (headless), Node ${process.version}\n`);
  process.stdout.write(`config ${JSON.stringify(config)}\n`);

  const keepAlive = setInterval(() => undefined, 1 << 30);
  const stop = (signal: NodeJS.Signals): void => {
    clearInterval(keepAlive);
    process.stdout.write(`${signal} received, stopped\n`);
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
