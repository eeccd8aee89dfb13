// Ports checked before the start-up rehearsal (core/rehearsal): a port another program holds stops the
// start at once, naming the setting that chose it, instead of after up to 4 s of rehearsal with a bare
// EADDRINUSE. Each port is bound the way its listener binds it, then released; a program that takes
// the port in the moment between is still caught by the listener's own bind.
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { createServer } from 'node:net';
import { SettingError } from '../../config/settings';
import { addressPort } from '../../address-port';

export interface PortCheck {
  /** The setting (or environment variable) that chose the port, for the message. */
  setting: string;
  kind: 'UDP' | 'TCP';
  host: string;
  /** The setting that chose the address (named when the address is not this machine's). */
  hostSetting: string;
  port: number;
}

function bindUdp(host: string, port: number): Promise<void> {
  const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false, ipv6Only: false });
  return new Promise<void>((resolve, reject) => {
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind({ port, address: host, exclusive: true }, () => socket.close(() => resolve()));
  });
}

function listenTcp(host: string, port: number): Promise<void> {
  const server = createServer();
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** The address, not the port, is at fault: not this machine's, or not an address at all (a name not found). */
const hostFault = (err: NodeJS.ErrnoException): boolean =>
  err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || (err.code?.startsWith('EAI_') ?? false);

/** Why a bind failed, in words a bench engineer acts on. */
function problem(check: PortCheck, err: NodeJS.ErrnoException): string {
  const where = `${check.kind} ${addressPort(check.host, check.port)}`;
  if (err.code === 'EADDRINUSE') {
    return `${where} is already in use by another program (another SIP server, another IMS Lab?): stop it, or choose another port`;
  }
  if (err.code === 'EACCES') {
    return `${where} needs privileges (a port below 1024: run with the capability cap_net_bind_service, or choose a port above 1023)`;
  }
  if (err.code === 'EADDRNOTAVAIL') return `${where}: the address ${check.host} is not one of this machine's`;
  if (hostFault(err)) return `${where}: ${check.host} is not an address of this machine (${err.code})`;
  return `${where} cannot be bound: ${err.message}`;
}

/**
 * Binds and releases each port in turn; throws SettingError. Port 0 is bound too: any free port will do,
 * but the address must still be this machine's (else the listener's own bind failed later, with a bare
 * EADDRNOTAVAIL and its stack).
 */
export async function probePorts(checks: readonly PortCheck[]): Promise<void> {
  for (const check of checks) {
    try {
      if (check.kind === 'UDP') await bindUdp(check.host, check.port);
      else await listenTcp(check.host, check.port);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      // The error as the cause: EMFILE/ENFILE (no descriptor for the socket) is the open-file limit's
      // fault, not the port's, and the start says so (core/cli/startup-fault.ts).
      throw new SettingError(hostFault(e) ? check.hostSetting : check.setting, problem(check, e), e);
    }
  }
}
