// DSP SRVSTAT (reference §1.2 系统管理 #3): what the SIP server is doing now: process, uptime, where it
// listens and what it advertises, registrations, live calls, transactions and message totals. The
// original showed the process, bindings, DIALOGS (with its ghost calls) and pending requests; these are
// the real figures of the running stack, plus the process's CPU and memory from the sampler when it runs.
// DSP SYSINFO (the platform) stays in system.ts.
import type { ServerStatus } from '../../observe/metrics';
import { processMemory } from '../../observe/process-memory';
import { MmlError, ok, RETCODE } from '../command';
import type { MmlCommand, MmlContext } from '../command';
import { megabytes } from './common';
import { duration } from './system';
import type { CertificateSummary } from '../../sip/transport/tls-credentials';

/** "TLS 3, WSS 2" (transports with none left out; '0' when there are none at all). */
function perTransport(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n}`);
  return parts.length === 0 ? '0' : parts.join(', ');
}

function statusOf(ctx: MmlContext): ServerStatus {
  if (ctx.status === undefined) {
    throw new MmlError(
      RETCODE.OPERATION_FAILED,
      'The server status is not available: the SIP server is not running here',
    );
  }
  return ctx.status();
}

/**
 * The certificate TLS and WSS serve: which file, whose, its SHA-256 fingerprint (to pin, or to compare
 * with what a phone shows) and when it runs out. It was said only in the start's log line.
 */
function certificateTable(c: CertificateSummary) {
  return {
    title: 'TLS certificate',
    columns: [
      { name: 'File', type: 'string' as const },
      { name: 'Subject', type: 'string' as const },
      { name: 'Names', type: 'string' as const },
      { name: 'SHA-256 fingerprint', type: 'string' as const },
      { name: 'Not after', type: 'time' as const },
      { name: 'Self-signed', type: 'boolean' as const },
    ],
    rows: [[c.certFile, c.subject, c.names, c.fingerprint, c.notAfter, c.selfSigned]],
  };
}

const dspSrvstat: MmlCommand = {
  verb: 'DSP',
  object: 'SRVSTAT',
  group: 'System',
  help: 'Shows the SIP server status: uptime, ports, address, registrations, calls, transactions, messages',
  params: [],
  handler: (_args, ctx) => {
    const s = statusOf(ctx);
    const sample = ctx.perf?.latest();
    const certificate = ctx.tlsCertificate?.();
    return ok(undefined, [
      {
        title: 'Server status',
        columns: [
          { name: 'Version', type: 'string' },
          { name: 'Process ID', type: 'integer' },
          { name: 'Started', type: 'time' },
          { name: 'Uptime', type: 'string' },
          { name: 'Server IP', type: 'string' },
          { name: 'Server IPv6', type: 'string' },
          { name: 'Listen address', type: 'string' },
          { name: 'UDP port', type: 'integer' },
          { name: 'TCP port', type: 'integer' },
          { name: 'TLS port', type: 'integer' },
          { name: 'WS port', type: 'integer' },
          { name: 'WSS port', type: 'integer' },
          { name: 'Connections', type: 'string' },
          { name: 'Registrations by transport', type: 'string' },
          { name: 'Registrations', type: 'integer' },
          { name: 'Registered AORs', type: 'integer' },
          { name: 'Live calls', type: 'integer' },
          { name: 'Server transactions', type: 'integer' },
          { name: 'Client transactions', type: 'integer' },
          { name: 'Requests being forwarded', type: 'integer' },
          { name: 'Requests in', type: 'integer' },
          { name: 'Responses in', type: 'integer' },
          { name: 'Messages out', type: 'integer' },
          { name: 'Parse errors', type: 'integer' },
          { name: 'Retransmissions', type: 'integer' },
          { name: 'Auth failures', type: 'integer' },
          { name: 'Auth lockouts', type: 'integer' },
          { name: 'Locked-out attempts', type: 'integer' },
          { name: 'CPU (%)', type: 'number' },
          { name: 'Resident memory (MB)', type: 'number' },
        ],
        rows: [
          [
            s.version,
            s.pid,
            s.startedAt,
            duration(s.uptimeSeconds),
            s.serverIp === '' ? 'not started' : s.serverIp,
            // What IPv6 phones are told (SERVER_IP6) and where the listeners bind: only the start's log said.
            s.serverIp6 || undefined,
            s.listenHost || undefined,
            s.udpPort === 0 ? undefined : s.udpPort,
            s.tcpPort === 0 ? undefined : s.tcpPort,
            s.tlsPort || undefined,
            s.wsPort || undefined,
            s.wssPort || undefined,
            perTransport(s.connections ?? {}),
            perTransport(s.bindingsByTransport ?? {}),
            s.bindings,
            s.aors,
            s.calls,
            s.transactions.server,
            s.transactions.client,
            s.proxyContexts,
            s.messages.requestsIn,
            s.messages.responsesIn,
            s.messages.out,
            s.messages.parseErrors,
            s.messages.retransmissions,
            s.messages.authFailures,
            s.messages.authLockouts,
            s.messages.authLockedOut,
            sample && Math.round(sample.cpu.percent * 100) / 100,
            megabytes(sample?.memory.rss ?? processMemory.rss()),
          ],
        ],
      },
      ...(certificate === undefined ? [] : [certificateTable(certificate)]),
    ]);
  },
};

export function serverCommands(): MmlCommand[] {
  return [dspSrvstat];
}
