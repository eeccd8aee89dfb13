// The commands of the appliance, by area, all registered into the same registry: users, registrations,
// configuration, log, system and server status, calls, CDR, performance and the auto dialer.
import type { MmlCommand } from '../command';
import { MmlRegistry } from '../registry';
import { callCommands } from './calls';
import { cdrCommands } from './cdr';
import { configCommands } from './config';
import { dialerCommands } from './dialer';
import { lockoutCommands } from './lockouts';
import { logCommands } from './log';
import { perfCommands } from './perf';
import { registrationCommands } from './registrations';
import { serverCommands } from './server';
import { systemCommands } from './system';
import { traceCommands } from './trace';
import { userCommands } from './users';

export function baseCommands(): MmlCommand[] {
  return [
    ...userCommands(),
    ...registrationCommands(),
    ...configCommands(),
    ...logCommands(),
    ...systemCommands(),
    ...serverCommands(),
    ...callCommands(),
    ...cdrCommands(),
    ...perfCommands(),
    ...dialerCommands(),
    ...lockoutCommands(),
    ...traceCommands(),
  ];
}

/** A registry with HELP and every command above. */
export function createRegistry(): MmlRegistry {
  return new MmlRegistry().registerAll(baseCommands());
}
