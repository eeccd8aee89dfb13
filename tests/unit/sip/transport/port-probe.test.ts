// Ports checked before the start-up rehearsal (core/sip/transport/port-probe.ts): real sockets on
// loopback; a port held by another socket is refused naming its setting, a free one is left free.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SettingError, loadSettings } from '../../../../core/config/settings';
import { portCheck } from '../../../../core/sip/transport/listener-settings';
import { probePorts } from '../../../../core/sip/transport/port-probe';
import { startupFault } from '../../../../core/cli/startup-fault';

const held: (Socket | Server)[] = [];
afterEach(() => {
  for (const h of held.splice(0)) h.close();
});

async function holdUdp(): Promise<number> {
  const s = createSocket('udp4');
  held.push(s);
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  return s.address().port;
}

async function holdTcp(): Promise<number> {
  const s = createServer();
  held.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as { port: number }).port;
}

async function refusal(promise: Promise<void>): Promise<SettingError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SettingError);
  return err as SettingError;
}

describe('probePorts', () => {
  it('names the setting of a UDP port another socket holds', async () => {
    const port = await holdUdp();
    const err = await refusal(
      probePorts([{ setting: 'SIP_PORT', kind: 'UDP', host: '127.0.0.1', hostSetting: 'SIP.HOST', port }]),
    );
    expect(err.key).toBe('SIP_PORT');
    // The bind's own error goes with it (its cause): the start looks at it (EMFILE below).
    expect(err.cause).toMatchObject({ code: 'EADDRINUSE' });
    expect(err.message).toBe(
      `SIP_PORT: UDP 127.0.0.1:${port} is already in use by another program (another SIP server, another IMS Lab?): stop it, or choose another port`,
    );
  });

  it('writes an IPv6 address in brackets before its port (RFC 5952 §6)', async () => {
    const s = createSocket('udp6');
    held.push(s);
    await new Promise<void>((resolve) => s.bind(0, '::1', resolve));
    const port = s.address().port;
    const err = await refusal(
      probePorts([{ setting: 'SIP_PORT', kind: 'UDP', host: '::1', hostSetting: 'SIP.HOST', port }]),
    );
    expect(err.message).toContain(`SIP_PORT: UDP [::1]:${port} is already in use`);
  });

  it('names the setting of a TCP port another server listens on, after the free ones', async () => {
    const free = await holdTcp();
    held.pop()!.close(); // now free
    await new Promise((resolve) => setTimeout(resolve, 10));
    const busy = await holdTcp();
    const err = await refusal(
      probePorts([
        { setting: 'SIP.PORT', kind: 'TCP', host: '127.0.0.1', hostSetting: 'SIP.HOST', port: free },
        { setting: 'SIP.WS_PORT', kind: 'TCP', host: '127.0.0.1', hostSetting: 'SIP.HOST', port: busy },
      ]),
    );
    expect(err.message).toMatch(new RegExp(`^SIP.WS_PORT: TCP 127.0.0.1:${busy} is already in use`));
  });

  it('releases what it bound, binds port 0 too, and names an address not of this machine', async () => {
    const port = await holdUdp();
    held.pop()!.close();
    await probePorts([
      { setting: 'SIP.PORT', kind: 'UDP', host: '127.0.0.1', hostSetting: 'SIP.HOST', port },
      { setting: 'SIP.PORT', kind: 'TCP', host: '127.0.0.1', hostSetting: 'SIP.HOST', port },
      { setting: 'SIP.TLS_PORT', kind: 'TCP', host: '127.0.0.1', hostSetting: 'SIP.HOST', port: 0 },
    ]);
    // Still free for the listener itself.
    const again = createSocket('udp4');
    held.push(again);
    await new Promise<void>((resolve) => again.bind(port, '127.0.0.1', resolve));
    const err = await refusal(
      probePorts([
        { setting: 'SIP.PORT', kind: 'UDP', host: '192.0.2.77', hostSetting: 'SIP_HOST', port: 5060 },
      ]),
    );
    expect(err.message).toBe(
      "SIP_HOST: UDP 192.0.2.77:5060: the address 192.0.2.77 is not one of this machine's",
    );
    // Not an address at all (Node resolves it as a name, and finds none): the address is named too.
    const name = await refusal(
      probePorts([
        { setting: 'HTTP_PORT', kind: 'TCP', host: '999.1.1.1', hostSetting: 'HTTP_HOST', port: 5060 },
      ]),
    );
    expect(name.message).toMatch(
      /^HTTP_HOST: TCP 999\.1\.1\.1:5060: 999\.1\.1\.1 is not an address of this machine \(E/,
    );
  });

  it('names an address not of this machine behind port 0 too (any free port, but on that address)', async () => {
    for (const kind of ['UDP', 'TCP'] as const) {
      const err = await refusal(
        probePorts([{ setting: 'SIP_PORT', kind, host: '192.0.2.77', hostSetting: 'SIP_HOST', port: 0 }]),
      );
      expect(err.key).toBe('SIP_HOST');
      expect(err.message).toBe(
        `SIP_HOST: ${kind} 192.0.2.77:0: the address 192.0.2.77 is not one of this machine's`,
      );
    }
    // The web console's check as the headless server makes it (core/server.ts), from the environment.
    const dir = mkdtempSync(join(tmpdir(), 'ims-probe-'));
    const s = loadSettings(dir, {
      HTTP_HOST: '192.0.2.77',
      HTTP_PORT: '0',
    });
    rmSync(dir, { recursive: true });
    const err = await refusal(probePorts([portCheck(s, 'HTTP.PORT', 'HTTP.HOST', 'TCP')]));
    expect(err.message).toBe(
      "HTTP_HOST: TCP 192.0.2.77:0: the address 192.0.2.77 is not one of this machine's",
    );
    // On an address of this machine, port 0 takes a free port and gives it back.
    await probePorts([
      { setting: 'SIP.PORT', kind: 'UDP', host: '127.0.0.1', hostSetting: 'SIP.HOST', port: 0 },
    ]);
  });

  it('puts a bind that found no descriptor (ulimit -n 20: bind EMFILE) down to the open-file limit, not the port', () => {
    // What probePorts throws then: the bind's EMFILE as the cause (the socket could not even be made).
    const bind = Object.assign(new Error('bind EMFILE 127.0.0.1:43130'), { code: 'EMFILE' });
    const err = new SettingError(
      'SIP_PORT',
      'UDP 127.0.0.1:43130 cannot be bound: bind EMFILE 127.0.0.1:43130',
      bind,
    );
    expect(startupFault(err, '/tmp/data')).toMatch(
      /^too many open files \(EMFILE\): SIP_PORT: UDP 127\.0\.0\.1:43130 cannot be bound: .*: raise the limit of open files for IMS Lab \(ulimit -n/,
    );
    const full = Object.assign(new Error('bind ENFILE 127.0.0.1:43130'), { code: 'ENFILE' });
    expect(startupFault(new SettingError('SIP_PORT', 'x', full), '/tmp/data')).toMatch(
      /^the host's table of open files is full \(ENFILE\)/,
    );
    // Any other setting's fault stays one.
    expect(startupFault(new SettingError('SIP_PORT', 'y'), '/tmp/data')).toBe(
      'configuration error: SIP_PORT: y',
    );
  });
});
