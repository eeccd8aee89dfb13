// The commands of the appliance, by area. Later areas (calls, CDR, performance, dialer) add their own
// list here and register into the same registry.
import type { MmlCommand } from '../command';
import { MmlRegistry } from '../registry';
import { configCommands } from './config';
import { logCommands } from './log';
import { registrationCommands } from './registrations';
import { systemCommands } from './system';
import { userCommands } from './users';

export function baseCommands(): MmlCommand[] {
  return [
    ...userCommands(),
    ...registrationCommands(),
    ...configCommands(),
    ...logCommands(),
    ...systemCommands(),
  ];
}

/** A registry with HELP and every command above. */
export function createRegistry(): MmlRegistry {
  return new MmlRegistry().registerAll(baseCommands());
}
