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

function seeds(port: number, phonePort: number): Buffer[] {
  const at = `127.0.0.1:${port}`;
  const via = (b: string): string => `Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bK-${b};rport`;
  const sdp =
    'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n';
  const msg = (lines: string[], body = ''): Buffer =>
    Buffer.from(
      `${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      'latin1',
    );
  const common = (method: string, n: number, to = '<sip:5002@' + at + '>'): string[] => [
    via(`f${n}`),
    'Max-Forwards: 70',
    `From: "Fuzz" <sip:5001@${at}>;tag=ff${n}`,
    `To: ${to}`,
    `Call-ID: fuzz-${n}@127.0.0.1`,
    `CSeq: ${n} ${method}`,
  ];
  return [
    msg([
      `REGISTER sip:${at} SIP/2.0`,
      ...common('REGISTER', 1, `<sip:5001@${at}>`),
      `Contact: <sip:5001@127.0.0.1:40000>;expires=60;q=0.5`,
      'Expires: 60',
      'User-Agent: fuzz',
    ]),
    msg(
      [
        `INVITE sip:5002@${at} SIP/2.0`,
        ...common('INVITE', 2),
        'Contact: <sip:5001@127.0.0.1:40000>',
        'Content-Type: application/sdp',
        'Supported: timer',
        'User-Agent: fuzz',
      ],
      sdp,
    ),
    msg(
      [`MESSAGE sip:5002@${at} SIP/2.0`, ...common('MESSAGE', 3), 'Content-Type: text/plain'],
      'hello there',
    ),
    msg([
      `BYE sip:5002@127.0.0.1:${phonePort} SIP/2.0`,
      ...common('BYE', 4, `<sip:5002@${at}>;tag=callee4`),
      `Route: <sip:${at};lr>`,
    ]),
    msg([
      `ACK sip:5002@127.0.0.1:${phonePort} SIP/2.0`,
      ...common('ACK', 5, `<sip:5002@${at}>;tag=callee5`),
      `Route: <sip:${at};lr>`,
    ]),
    msg([`CANCEL sip:5002@${at} SIP/2.0`, ...common('CANCEL', 6)]),
    msg([
      `SUBSCRIBE sip:5002@${at} SIP/2.0`,
      ...common('SUBSCRIBE', 7),
      'Event: presence',
      'Expires: 60',
      'Contact: <sip:5001@127.0.0.1:40000>',
    ]),
    msg([`OPTIONS sip:${at} SIP/2.0`, ...common('OPTIONS', 8, `<sip:${at}>`), 'Accept: application/sdp']),
    msg([
      `REGISTER sip:${at} SIP/2.0`,
      ...common('REGISTER', 10, `<sip:5001@${at}>`),
      `Contact: <sip:5001@127.0.0.1:40000>`,
      `Authorization: Digest username="5001", realm="ims.lab", nonce="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", uri="sip:${at}", response="0123456789abcdef0123456789abcdef", algorithm=MD5, qop=auth, nc=00000001, cnonce="abc"`,
    ]),
    msg(
      [
        `INVITE sip:5002@${at} SIP/2.0`,
        ...common('INVITE', 11),
        'Contact: <sip:5001@127.0.0.1:40000>',
        `Proxy-Authorization: Digest username="5001", realm="ims.lab", nonce="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", uri="sip:5002@${at}", response="0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="abc"`,
        'Content-Type: application/sdp',
      ],
      sdp,
    ),
    msg([
      'SIP/2.0 200 OK',
      `Via: SIP/2.0/UDP ${at};branch=z9hG4bK-ims-abc-def;rport, ${via('up9').slice(5)}`,
      `From: <sip:5001@${at}>;tag=ff9`,
      `To: <sip:5002@${at}>;tag=t9`,
      'Call-ID: fuzz-9@127.0.0.1',
      'CSeq: 9 INVITE',
      'Contact: <sip:5002@127.0.0.1:40001>',
      `Record-Route: <sip:${at};lr>`,
    ]),
  ];
}

const CONFIGS: [string, Record<string, unknown>][] = [
  [
    'authentication off (deeper rules)',
    { 'AUTH.REGISTER': false, 'PROXY.AUTH_METHODS': '', 'PROXY.TIMER_C': 2 },
  ],
  // The lockout is off here: mutated credentials would otherwise lock 127.0.0.1 out before the probe.
  ['digest checks on', { 'PROXY.TIMER_C': 2, 'AUTH.LOCKOUT_FAILURES': 0 }],
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
