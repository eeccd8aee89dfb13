// The registrar behind the transport and transaction layers, against the built headless server (default
// settings): REGISTER over TCP (SIPp -t t1, and a raw connection whose Via names a port nobody listens
// on, so only the same connection can carry the answers), retransmitted REGISTERs absorbed by the
// server transaction, and malformed datagrams answered 400 (or dropped) without disturbing service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP, freePort, runSipp } from '../../support/sipp';
import {
  RegisteringUa,
  contactOf,
  listedContacts,
  openTcp,
  openUdp,
  parseResponse,
  requestBytes,
  type SipChannel,
} from '../../support/sip-client';
import { answerChallenge } from '../../../core/sip/auth/digest';
import { newBranch, newCallId } from '../../../core/sip/message/index';

const users = ['4001', '4002', '4003', '4004'].map((u) => ({ username: u, password: `pw-${u}` }));
const user = (name: string): { username: string; password: string } =>
  users.find((u) => u.username === name)!;

describe.skipIf(!HAS_BUILD)('registrar over UDP and TCP (default settings)', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({ users });
  });

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  const udpTarget = (): { host: string; port: number } => ({ host: server.host, port: server.udpPort });
  const tcpTarget = (): { host: string; port: number } => ({ host: server.host, port: server.tcpPort });

  describe('TCP', () => {
    it.skipIf(!HAS_SIPP)(
      'SIPp registers over TCP (-t t1): 401 then 200 listing a transport=TCP contact',
      async () => {
        expect(server.tcpPort).toBeGreaterThan(0);
        const r = await runSipp({
          scenario: 'register_auth.xml',
          target: tcpTarget(),
          transport: 'TCP',
          users: [user('4001')],
          keys: { expires: 300 },
        });
        expect(r.code, r.describe()).toBe(0);
        expect(
          r.messages.every((m) => m.transport === 'TCP'),
          r.describe(),
        ).toBe(true);
        expect(r.responses.map((m) => m.status)).toEqual([401, 200]);
        expect(r.responses[0]!.topVia.transport).toBe('TCP');
        expect(listedContacts(r.responses[1]!)).toEqual([
          { uri: `sip:4001@127.0.0.1:${r.localPort};transport=TCP`, expires: 300 },
        ]);
      },
    );

    it('the 401 and the 200 come back on the connection the REGISTER came in on (§18.2.2)', async () => {
      // A port nothing listens on: a server that opened a new connection to the Via would fail.
      const nowhere = await freePort();
      const ch = await openTcp(tcpTarget());
      try {
        const ua = new RegisteringUa(ch, user('4002'));
        const contact = `sip:4002@127.0.0.1:${nowhere};transport=tcp`;
        const res = await ua.request({
          contacts: [`<${contact}>`],
          expires: 600,
          viaSentBy: `127.0.0.1:${nowhere}`,
        });
        expect(ua.lastChallenge!.status).toBe(401);
        expect(res.status, res.toString()).toBe(200);
        expect(res.topVia.transport).toBe('TCP');
        expect(res.topVia.received).toBe('127.0.0.1');
        expect(listedContacts(res)).toEqual([{ uri: contact, expires: 600 }]);
        // The connection stays up and keeps serving.
        const again = await ua.fetch();
        expect(listedContacts(again)).toEqual([{ uri: contact, expires: expect.any(Number) }]);
        expect(await ch.collect(100)).toEqual([]);
      } finally {
        await ch.close();
      }
    });
  });

  describe('UDP retransmissions (§17.2.2)', () => {
    let ch: SipChannel;
    beforeAll(async () => {
      ch = await openUdp(udpTarget());
    });
    afterAll(async () => {
      await ch?.close();
    });

    it('a REGISTER without credentials sent twice is challenged twice, statelessly (§8.2.7)', async () => {
      const bytes = requestBytes(ch, {
        user: '4003',
        callId: newCallId('retrans'),
        cseq: 1,
        contacts: [contactOf(ch, '4003')],
        expires: 600,
      });
      ch.send(bytes);
      ch.send(bytes);
      const first = parseResponse(await ch.next());
      const second = parseResponse(await ch.next());
      expect([first.status, second.status]).toEqual([401, 401]);
      // No transaction keeps the first answer: each copy gets a challenge of its own (§26.3.2.4: a
      // challenge costs the registrar no state), and either nonce can be answered.
      const nonce = (r: typeof first): string | undefined =>
        /nonce="([^"]+)"/.exec(r.headerValues('www-authenticate')[0] ?? '')?.[1];
      expect(nonce(first)).toBeDefined();
      expect(nonce(second)).not.toBe(nonce(first));
      expect(first.to.tag).not.toBe(second.to.tag);
      expect(await ch.collect(150)).toEqual([]);
    });

    it('an authenticated REGISTER sent three times gets one identical 200 each time and one binding', async () => {
      const callId = newCallId('retrans');
      const contact = contactOf(ch, '4004');
      const base = { user: '4004', callId, contacts: [contact], expires: 600 };
      ch.send(requestBytes(ch, { ...base, cseq: 1 }));
      const challenge = parseResponse(await ch.next());
      expect(challenge.status).toBe(401);
      const authorization = answerChallenge(
        challenge.headerValues('www-authenticate'),
        user('4004'),
        'REGISTER',
        `sip:${server.host}:${server.udpPort}`,
      );
      const bytes = requestBytes(ch, { ...base, cseq: 2, branch: newBranch(), authorization });
      ch.send(bytes);
      ch.send(bytes);
      const first = await ch.next();
      const second = await ch.next();
      // Later, well within Timer J (64*T1 = 32 s).
      await new Promise((r) => setTimeout(r, 400));
      ch.send(bytes);
      const third = await ch.next();
      expect(parseResponse(first).status, first.toString()).toBe(200);
      // Processed again, the same nonce-count would be a replay (401), and the Date/expires would move.
      expect(second.toString('latin1')).toBe(first.toString('latin1'));
      expect(third.toString('latin1')).toBe(first.toString('latin1'));
      expect(await ch.collect(150)).toEqual([]);

      const listed = listedContacts(await new RegisteringUa(ch, user('4004')).fetch());
      expect(listed).toHaveLength(1);
      expect(listed[0]!.uri).toBe(contact.slice(1, -1));
    });
  });

  describe('malformed datagrams', () => {
    let ch: SipChannel;
    beforeAll(async () => {
      ch = await openUdp(udpTarget());
    });
    afterAll(async () => {
      await ch?.close();
    });

    /** A REGISTER from `ch` as text, with a fresh branch, to be broken by `edit`. */
    const broken = (edit: (text: string) => string): Buffer =>
      Buffer.from(
        edit(
          requestBytes(ch, {
            user: '4001',
            callId: newCallId('malformed'),
            cseq: 7,
            contacts: [contactOf(ch, '4001')],
            expires: 600,
          }).toString('latin1'),
        ),
        'latin1',
      );

    it.each([
      ['a non-numeric CSeq', (t: string) => t.replace('CSeq: 7 REGISTER', 'CSeq: seven REGISTER'), /CSeq/],
      [
        'a CSeq method other than the request method',
        (t: string) => t.replace('CSeq: 7 REGISTER', 'CSeq: 7 INVITE'),
        /CSeq method/,
      ],
      ['a malformed To', (t: string) => t.replace(/^To: .*$/m, 'To: <<sip:4001'), /To/],
      [
        'a malformed Contact',
        (t: string) => t.replace(/^Contact: .*$/m, 'Contact: <sip:4001@@bad>'),
        /Contact/,
      ],
      // (A malformed Expires is not one: it counts as 3600, §20.19; bindings.test.ts.)
      [
        'a malformed Max-Forwards',
        (t: string) => t.replace(/^Max-Forwards: .*$/m, 'Max-Forwards: lots'),
        /Max-Forwards/,
      ],
    ])(
      '%s gets 400 naming the problem, with the request’s Via, Call-ID and CSeq',
      async (_, edit, reason) => {
        const bytes = broken(edit);
        const request = bytes.toString('latin1');
        ch.send(bytes);
        const res = parseResponse(await ch.next());
        expect(res.status, res.toString()).toBe(400);
        expect(res.reasonText).toMatch(reason);
        expect(res.reasonText).not.toBe('Bad Request');
        expect(request).toContain(`branch=${res.topVia.branch}`);
        expect(request).toContain(`Call-ID: ${res.callId}`);
        // To copied as received (even when it is the malformed part), with our tag added.
        expect(res.header('to')).toMatch(/;tag=\w+$/);
      },
    );

    // A lab tool tells the tester what is wrong: answered as long as there is a Via to answer to (the
    // response copies what the request has, §8.2.6, so it lacks what the request lacked).
    it.each([
      ['without Call-ID', (t: string) => t.replace(/^Call-ID: .*\r\n/m, ''), 'Call-ID'],
      ['without CSeq', (t: string) => t.replace(/^CSeq: .*\r\n/m, ''), 'CSeq'],
    ])('a REGISTER %s gets 400 naming the missing header', async (_, edit, header) => {
      ch.send(broken(edit));
      const text = (await ch.next(500)).toString('latin1');
      expect(text.slice(0, text.indexOf('\r\n'))).toBe(`SIP/2.0 400 Missing ${header} header`);
      expect(text).toMatch(/\r\nVia: SIP\/2\.0\/UDP /);
    });

    it('a REGISTER without Via cannot be answered: it is dropped', async () => {
      ch.send(broken((t) => t.replace(/^Via: .*\r\n/m, '')));
      expect(await ch.collect(300)).toEqual([]);
    });

    // RFC 4475 badvers (505) and clerr (400): the parser keeps the message it read so that the
    // transport can answer (a regression test: both used to be dropped silently).
    it('a REGISTER with SIP/3.0 gets 505 Version Not Supported', async () => {
      ch.send(broken((t) => t.replace(/ SIP\/2\.0\r\n/, ' SIP/3.0\r\n')));
      const res = parseResponse(await ch.next(500));
      expect(res.status).toBe(505);
    });

    it('a REGISTER whose Content-Length exceeds the datagram gets 400', async () => {
      ch.send(broken((t) => t.replace('Content-Length: 0', 'Content-Length: 50')));
      const res = parseResponse(await ch.next(500));
      expect(res.status).toBe(400);
      expect(res.reasonText).toMatch(/Content-Length/);
    });

    it('garbage bytes get no answer, and the next good REGISTER is served (401, then 200)', async () => {
      ch.send(Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x7f, 0x0d, 0x0a, 0x0d, 0x0a]));
      ch.send(Buffer.from('this is not SIP at all\r\n\r\n'));
      ch.send(Buffer.from('REGISTER\r\n\r\n'));
      expect(await ch.collect(300)).toEqual([]);

      const ua = new RegisteringUa(ch, user('4001'));
      const res = await ua.register([contactOf(ch, '4001')], 120);
      expect(ua.lastChallenge!.status).toBe(401);
      expect(res.status, res.toString()).toBe(200);
      expect(listedContacts(res)).toContainEqual({ uri: `sip:4001@127.0.0.1:${ch.localPort}`, expires: 120 });
    });
  });
});
