// Bad input never takes the appliance down: tens of thousands of mutated datagrams (REGISTER, INVITE
// with SDP, MESSAGE, in-dialog BYE and ACK, CANCEL, SUBSCRIBE, OPTIONS, a relayed response) go to the
// running server, seeded and bounded; afterwards it still answers, still registers a phone, and stops
// cleanly (exit 0). Once with authentication off, so that mutated requests reach the registrar's and
// the proxy's deeper rules instead of stopping at the challenge, and once with the default settings,
// where mutated credentials meet the digest checks.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { fuzzSeeds as seeds } from '../../support/fuzz-seeds';
import { mutate, rng } from '../../support/mutate';
import {
  RegisteringUa,
  contactOf,
  openTcp,
  openUdp,
  responseTo,
  requestBytes,
} from '../../support/sip-client';

const CASES = Number(process.env.SERVER_FUZZ_CASES ?? 20_000);
const SEED = Number(process.env.SERVER_FUZZ_SEED ?? 0x1a6f00d);

let server: LabServer;

const CONFIGS: [string, Record<string, unknown>][] = [
  [
    'authentication off (deeper rules)',
    { 'AUTH.REGISTER': false, 'PROXY.AUTH_METHODS': '', 'PROXY.TIMER_C': 2 },
  ],
  // The lockout is off here: mutated credentials would otherwise lock 127.0.0.1 out before the probe.
  ['digest checks on', { 'PROXY.TIMER_C': 2, 'AUTH.LOCKOUT_FAILURES': 0, 'AUTH.LOCKOUT_SOURCE_FAILURES': 0 }],
];

describe.skipIf(!HAS_BUILD).each(CONFIGS)('the whole server under mutated datagrams, %s', (_name, config) => {
  beforeAll(async () => {
    server = await startLabServer({
      users: [
        { username: '5001', password: 'pw-5001' },
        { username: '5002', password: 'pw-5002' },
      ],
      config,
    });
  });
  afterAll(async () => {
    // Stopped here too: a failed test never reached its own stop (stop() of a stopped server is a no-op).
    if (server) await server.stop();
    if (server) removeDataDir(server.dataDir);
  });

  it(`stays up through ${CASES} mutated messages, then still serves and stops cleanly`, async () => {
    // A phone registered for 5002 so that mutated requests get routed; it never answers.
    const phone = await openUdp({ host: '127.0.0.1', port: server.udpPort });
    const auth = config['AUTH.REGISTER'] !== false;
    const ua = new RegisteringUa(phone, { username: '5002', password: 'pw-5002' });
    const reg = auth
      ? await ua.register([contactOf(phone, '5002')], 300)
      : await ua.send({ contacts: [contactOf(phone, '5002')], expires: 300 });
    expect(reg.status).toBe(200);

    const sender = createSocket('udp4');
    await new Promise<void>((ok) => sender.bind(0, '127.0.0.1', () => ok()));
    const base = seeds(server.udpPort, phone.localPort);
    const rand = rng(SEED);
    for (let n = 0; n < CASES; n++) {
      const input = mutate(base[n % base.length]!, rand, base);
      if (input.length > 0) sender.send(input, server.udpPort, '127.0.0.1');
      if (n % 500 === 499) await new Promise((r) => setTimeout(r, 20)); // bounded pace: no kernel drops
    }
    sender.close();
    await new Promise((r) => setTimeout(r, 500));
    expect(server.child.proc.exitCode, server.child.output()).toBeNull();

    // Still serving: OPTIONS to the server, and a new registration.
    const probe = await openUdp({ host: '127.0.0.1', port: server.udpPort });
    try {
      probe.send(
        requestBytes(probe, { method: 'OPTIONS', cseq: 1, user: '5001', callId: 'fuzz-probe@127.0.0.1' }),
      );
      expect((await responseTo(probe, 1)).status).toBe(200);
      const prober = new RegisteringUa(probe, { username: '5001', password: 'pw-5001' });
      const again = auth
        ? await prober.register([contactOf(probe, '5001')], 60)
        : await prober.send({ contacts: [contactOf(probe, '5001')], expires: 60 });
      expect(again.status).toBe(200);
    } finally {
      await probe.close();
      await phone.close();
    }
    // No fault of IMS Lab itself (those are logged at ERROR with their stack), only refusals.
    expect(server.child.output()).not.toMatch(/\[ERROR|uncaught|TypeError|RangeError/i);
    expect(await server.stop()).toBe(0);
  });
});

describe.skipIf(!HAS_BUILD)('the TCP listener under mutated streams', () => {
  let tcpServer: LabServer;
  beforeAll(async () => {
    tcpServer = await startLabServer({ users: [{ username: '5001', password: 'pw-5001' }] });
  });
  afterAll(async () => {
    if (tcpServer) await tcpServer.stop();
    if (tcpServer) removeDataDir(tcpServer.dataDir);
  });

  it('survives connections that carry mutated messages back to back, then serves a new one', async () => {
    const base = seeds(tcpServer.udpPort, 40_000);
    const rand = rng(SEED ^ 0x7c9);
    for (let c = 0; c < 40; c++) {
      const socket = connect(tcpServer.tcpPort, '127.0.0.1');
      await new Promise<void>((ok, fail) => {
        socket.once('connect', () => ok());
        socket.once('error', fail);
      });
      socket.on('error', () => undefined); // the server may close a connection whose framing broke
      for (let n = 0; n < 100; n++) socket.write(mutate(base[(c + n) % base.length]!, rand, base));
      await new Promise((r) => setTimeout(r, 20));
      socket.destroy();
    }
    expect(tcpServer.child.proc.exitCode, tcpServer.child.output()).toBeNull();
    const ch = await openTcp({ host: '127.0.0.1', port: tcpServer.tcpPort });
    try {
      const res = await new RegisteringUa(ch, { username: '5001', password: 'pw-5001' }).register(
        [contactOf(ch, '5001')],
        60,
      );
      expect(res.status).toBe(200);
    } finally {
      await ch.close();
    }
    expect(tcpServer.child.output()).not.toMatch(/\[ERROR|uncaught|TypeError|RangeError/i);
    expect(await tcpServer.stop()).toBe(0);
  });
});
