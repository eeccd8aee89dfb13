// A ServerStatus for tests of what shows one (metrics, DSP SRVSTAT): an idle server's, with the figures a
// test cares about given.
import type { ServerStatus } from '../../core/observe/metrics';

export function idleServerStatus(over: Partial<ServerStatus> = {}): ServerStatus {
  return {
    version: '0.1.0',
    pid: 4242,
    startedAt: 1_700_000_000_000,
    uptimeSeconds: 0,
    serverIp: '',
    udpPort: 5060,
    tcpPort: 0,
    bindings: 0,
    aors: 0,
    calls: 0,
    transactions: { server: 0, client: 0 },
    proxyContexts: 0,
    messages: {
      requestsIn: 0,
      responsesIn: 0,
      out: 0,
      parseErrors: 0,
      retransmissions: 0,
      authFailures: 0,
      authLockouts: 0,
      authLockedOut: 0,
    },
    ...over,
  };
}
