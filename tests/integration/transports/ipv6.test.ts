// IPv6 (RFC 5118): the server bound to :: (both families) and advertising ::1. SIPp phones on [::1]
// register and complete a call through the proxy: our Via and Record-Route carry the bracketed
// reference [::1]:<port>, the caller's Via gets received=::1 and its rport (RFC 3581 with an IPv6
// source), the SDP's IN IP6 lines pass untouched. The same listeners still serve IPv4 (127.0.0.1,
// recorded as such, not as ::ffff:127.0.0.1), and LOCAL_NETWORK_CIDR accepts IPv6 prefixes.
import { createSocket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, openUdp } from '../../support/sip-client';
import { HAS_SIPP, freePort, runSipp, startSipp } from '../../support/sipp';
import { cdrRows } from '../proxy/cdr-reader';
import { receivedRequests, stopStrayCallees, user, users } from '../proxy/parties';
import { eventually, listenerPorts, type ListenerPorts } from './listeners';

const CALLER = user(4901);
const CALLEE = user(4902);
const V4 = user(4903);

function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp6');
    s.once('error', () => resolve(false));
    s.bind(0, '::1', () => s.close(() => resolve(true)));
  });
}

const IPV6 = await hasIpv6Loopback();

/**
 * The callee, a SIPp phone on [::1]: registered (digest) through the server's UDP port, then started as
 * the UAS that answers one call. Returns its REGISTER run, its port and the running UAS.
 */
async function answeringCalleeOnV6(udpPort: number) {
  const calleePort = await freePort('::1');
  const reg = await runSipp({
    scenario: 'register_auth.xml',
    target: { host: '::1', port: udpPort },
    localHost: '::1',
    localPort: calleePort,
    users: [CALLEE],
    keys: { expires: 300 },
    // SIPp 3.6 writes uri="sip:::1:<port>" (unbracketed) in its digest unless told.
    args: ['-auth_uri', `[::1]:${udpPort}`],
  });
  expect(reg.code, reg.describe()).toBe(0);
  const callee = await startSipp({
    scenario: 'proxy_uas_answer.xml',
    target: { host: '::1', port: udpPort },
    localHost: '::1',
    localPort: calleePort,
    pauseMs: 100,
    timeoutSeconds: 15,
  });
  await callee.ready();
  return { reg, calleePort, callee };
}

describe.skipIf(!HAS_BUILD || !HAS_SIPP || !IPV6)('transports: IPv6', () => {
  let server: LabServer;
  let ports: ListenerPorts;
  const target = (): { host: string; port: number } => ({ host: '::1', port: ports.udp });

  beforeAll(async () => {
    server = await startLabServer({
      users: users(4901, 3),
      env: { SIP_HOST: '::', SERVER_IP: '::1', LOCAL_NETWORK_CIDR: '192.168.0.0/16, fd00::/8, ::1/128' },
    });
    ports = await listenerPorts(server);
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (server !== undefined) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  it('SIPp on [::1] registers, and a call between two SIPp phones on [::1] completes', async () => {
    const { reg, calleePort, callee } = await answeringCalleeOnV6(ports.udp);
    const ok = reg.responses.find((r) => r.status === 200)!;
    expect(ok.contacts[0]!.uriText).toBe(`sip:${CALLEE.username}@[::1]:${calleePort};transport=UDP`);

    const caller = await runSipp({
      scenario: 'proxy_uac_call.xml',
      target: target(),
      localHost: '::1',
      users: [CALLER],
      keys: { callee: CALLEE.username },
      pauseMs: 200,
      timeoutSeconds: 15,
      args: ['-auth_uri', `${CALLEE.username}@[::1]:${ports.udp}`],
    });
    const answered = await callee.result;
    expect(caller.code, caller.describe()).toBe(0);
    expect(answered.code, answered.describe()).toBe(0);

    const invite = receivedRequests(answered).find((r) => r.method === 'INVITE')!;
    expect(invite.topVia.raw).toMatch(new RegExp(`^SIP/2\\.0/UDP \\[::1\\]:${ports.udp};branch=`));
    expect(invite.recordRoutes.map((r) => r.raw)).toEqual([
      expect.stringMatching(new RegExp(`^<sip:\\[::1\\]:${ports.udp};lr;dlg=[0-9a-f]{16}>$`)),
    ]);
    const callerVia = invite.via[1]!;
    expect(callerVia.received).toBe('::1');
    expect(callerVia.rport).toBe(caller.localPort);
    expect(invite.body.toString()).toContain('c=IN IP6 ::1');

    const row = await eventually(
      'the CALL row',
      () => cdrRows(server.dataDir).filter((r) => r.record_type === 'CALL'),
      (rows) => rows.length >= 1,
    );
    expect(row[0]).toMatchObject({
      call_state: 'ENDED',
      status_code: 200,
      caller_ip: '::1',
      callee_ip: '::1',
      callee_port: calleePort,
      transport: 'UDP',
    });
  });

  it('the same listener serves IPv4: a REGISTER from 127.0.0.1 is answered and recorded as 127.0.0.1', async () => {
    const ch = await openUdp({ host: '127.0.0.1', port: ports.udp });
    try {
      const res = await new RegisteringUa(ch, V4).register(
        [`<sip:${V4.username}@127.0.0.1:${ch.localPort}>`],
        300,
      );
      expect(res.status, res.toString()).toBe(200);
      expect(res.topVia.received).toBe('127.0.0.1');
    } finally {
      await ch.close();
    }
    const rows = await eventually(
      'the REGISTER row',
      () =>
        cdrRows(server.dataDir).filter(
          (r) => r.record_type === 'REGISTER' && r.caller_number === V4.username,
        ),
      (r) => r.length >= 1,
    );
    expect(rows[0]!.caller_ip).toBe('127.0.0.1');
  });
});

// RFC 5658 §4: a call between an IPv4 and an IPv6 phone is Record-Routed once for each side, each entry
// at the address that side reaches us at (SERVER_IP for IPv4 peers, SERVER_IP6 for IPv6 ones); a single
// entry would send the IPv4 phone's in-dialog requests to an IPv6 address it cannot reach.
describe.skipIf(!HAS_BUILD || !HAS_SIPP || !IPV6)('transports: IPv4 and IPv6 phones in one call', () => {
  let server: LabServer;
  let ports: ListenerPorts;

  beforeAll(async () => {
    server = await startLabServer({
      users: users(4901, 2),
      env: {
        SIP_HOST: '::',
        SERVER_IP: '127.0.0.1',
        SERVER_IP6: '::1',
        LOCAL_NETWORK_CIDR: '127.0.0.0/8, ::1/128',
      },
    });
    ports = await listenerPorts(server);
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (server !== undefined) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  it('an IPv4 caller reaches an IPv6 callee: two Record-Routes, each side its own family, and the call ends with BYE', async () => {
    await server.child.waitFor(/advertised as 127\.0\.0\.1 and ::1;/, 5000);
    const { reg, callee } = await answeringCalleeOnV6(ports.udp);
    // The IPv6 phone is answered from the IPv6 address.
    expect(reg.responses.at(-1)!.topVia.received).toBe('::1');

    const caller = await runSipp({
      scenario: 'proxy_uac_call.xml',
      target: { host: '127.0.0.1', port: ports.udp },
      localHost: '127.0.0.1',
      users: [CALLER],
      keys: { callee: CALLEE.username },
      pauseMs: 200,
      timeoutSeconds: 15,
    });
    const answered = await callee.result;
    expect(caller.code, caller.describe()).toBe(0);
    expect(answered.code, answered.describe()).toBe(0);

    const invite = receivedRequests(answered).find((r) => r.method === 'INVITE')!;
    expect(invite.topVia.raw).toMatch(new RegExp(`^SIP/2\\.0/UDP \\[::1\\]:${ports.udp};branch=`));
    const both = [
      expect.stringMatching(new RegExp(`^<sip:\\[::1\\]:${ports.udp};lr;dlg=[0-9a-f]{16}>$`)),
      expect.stringMatching(new RegExp(`^<sip:127\\.0\\.0\\.1:${ports.udp};lr;dlg=[0-9a-f]{16}>$`)),
    ];
    expect(invite.recordRoutes.map((r) => r.raw)).toEqual(both);
    // The caller's route set starts at the IPv4 entry (the 2xx's Record-Route read bottom up, §12.1.2).
    const ok = caller.responses.find((r) => r.status === 200 && r.cseq.method === 'INVITE')!;
    expect(ok.recordRoutes.map((r) => r.raw)).toEqual(both);
    expect(receivedRequests(answered).map((r) => r.method)).toEqual(expect.arrayContaining(['ACK', 'BYE']));
    const row = await eventually(
      'the CALL row',
      () => cdrRows(server.dataDir).filter((r) => r.record_type === 'CALL'),
      (rows) => rows.length >= 1,
    );
    expect(row[0]).toMatchObject({
      call_state: 'ENDED',
      caller_ip: '127.0.0.1',
      callee_ip: '::1',
      server_ip: '127.0.0.1', // the address the IPv4 caller reached
    });
    // The IPv6 phone's registration names the address it reached (it named SERVER_IP, an IPv4 one).
    const registered = cdrRows(server.dataDir).find(
      (r) => r.record_type === 'REGISTER' && r.caller_ip === '::1',
    );
    expect(registered).toMatchObject({ server_ip: '::1' });
  });
});

describe.skipIf(!HAS_BUILD || !HAS_SIPP || !IPV6)('transports: bound to one IPv6 address', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4901, 1), env: { SIP_HOST: '::1' } });
  });

  afterAll(async () => {
    if (server !== undefined) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  it('SIP_HOST=::1: advertised as ::1 (bracketed in the Via it answers), SIPp registers', async () => {
    const line = await server.child.waitFor(/SIP on ::1 UDP \d+[^\n]*advertised as ::1;/, 5000);
    const { udp } = await listenerPorts(server);
    expect(line).toContain(`UDP ${udp}`);
    const reg = await runSipp({
      scenario: 'register_auth.xml',
      target: { host: '::1', port: udp },
      localHost: '::1',
      users: [CALLER],
      keys: { expires: 60 },
      args: ['-auth_uri', `[::1]:${udp}`],
    });
    expect(reg.code, reg.describe()).toBe(0);
    expect(reg.responses.at(-1)!.topVia.received).toBe('::1');
  });
});
