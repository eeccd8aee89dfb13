// What the dialer sends after each offer/answer of a call (RFC 3264), against a real appliance and a
// raw UDP phone driven here (registered as a lab user; its RTP ports are node sockets that note each
// packet's payload type). It proves that:
// - an answer that is a=sendonly or a=inactive gets no RTP at all for the call (§6.1);
// - a far-end re-INVITE that moves the stream to another port and codec (§8.3.1, §8.3.2) is followed:
//   the prompt goes on to the new port in the new codec only (PCMU to A, then PCMA to B), and the
//   dialer's 200 answers in that codec;
// - a far-end re-INVITE without SDP (RFC 3261 §14.2, RFC 3264 §4): the dialer's 200 makes the offer
//   and the answer in the phone's ACK is followed (the stream moves to the port it names).
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newBranch, parseMessage, SipRequest, SipResponse } from '../../../core/sip/message/index';
import { openUdp, type SipChannel } from '../../support/sip-client';
import { res, sipBytes } from '../../support/sip-text';
import { registerContact, targetOf, user } from '../proxy/parties';
import { answer } from '../proxy/raw-ua';
import type { CallResult } from '../../../core/dialer/statistics';
import { campaignId, openDialerLab, until, type DialerLab } from './lab';

let lab: DialerLab;
/** Every socket a test opened (the phone's SIP channel, its RTP ports), closed in afterEach. */
let rtpSockets: Socket[];
let sipChannels: SipChannel[];

beforeEach(async () => {
  lab = await openDialerLab();
  rtpSockets = [];
  sipChannels = [];
  expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
});

afterEach(async () => {
  try {
    await lab.close();
  } finally {
    for (const s of rtpSockets) s.close();
    await Promise.all(sipChannels.map((c) => c.close()));
  }
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- the phone's RTP ports

/** One RTP port of the phone: the payload type of each RTP packet that reached it, in order. */
interface RtpPort {
  port: number;
  payloadTypes: number[];
}

/**
 * A UDP socket on 127.0.0.1 counting RTP packets (version 2). RTCP is not counted: the dialer sends it
 * to port + 1, which may be another of our ports, and its packet types 200-204 sit in the second byte
 * where RTP has marker and payload type (RFC 5761 §4: 192-223 is RTCP).
 */
async function rtpPort(): Promise<RtpPort> {
  const socket = createSocket('udp4');
  rtpSockets.push(socket);
  const payloadTypes: number[] = [];
  socket.on('message', (b: Buffer) => {
    if (b.length < 12 || b[0]! >> 6 !== 2 || (b[1]! >= 192 && b[1]! <= 223)) return;
    payloadTypes.push(b[1]! & 0x7f);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { port: socket.address().port, payloadTypes };
}

/** An audio SDP of the phone's: one G.711 format (0 PCMU, 8 PCMA) on `port`, with a direction. */
function sdp(port: number, payloadType: 0 | 8, version: number, direction = 'sendrecv'): string {
  return [
    'v=0',
    `o=phone 4711 ${version} IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP ${payloadType}`,
    `a=rtpmap:${payloadType} ${payloadType === 0 ? 'PCMU' : 'PCMA'}/8000`,
    `a=${direction}`,
    '',
  ].join('\r\n');
}

/** The m=audio line of an SDP body, e.g. "m=audio 30010 RTP/AVP 8". */
const audioLine = (body: Buffer): string | undefined =>
  /^m=audio .*?(?=\r?$)/m.exec(body.toString('latin1'))?.[0];

// ---------------------------------------------------------------- the phone's SIP side

/**
 * A phone registered as `number` on a raw UDP channel aimed at the proxy. It answers the dialer's INVITE
 * and is then the UAS of the dialog (RFC 3261 §12.1.1): its own requests in it (re-INVITE, ACK) have
 * From and To swapped, its own CSeq, the dialer's Contact as Request-URI and the Record-Route set as
 * Route, and go where the INVITE came from (the proxy).
 */
class Phone {
  private invite: SipRequest | undefined;
  /** Our From in the dialog (the INVITE's To with our tag) and its To (the INVITE's From). */
  private local = '';
  private remote = '';
  private routes: string[] = [];
  /** The dialer's Contact (§12.2.1.1 remote target), refreshed by its 2xx to our re-INVITE. */
  private target = '';
  private cseq = 0;
  /** BYEs from the dialer, answered 200 on the way (§15.1.2). */
  byes = 0;

  private constructor(
    readonly sip: SipChannel,
    readonly number: number,
  ) {}

  static async register(number: number): Promise<Phone> {
    const sip = await openUdp(targetOf(lab.server()));
    sipChannels.push(sip);
    await registerContact(lab.server(), user(number), sip.localPort);
    return new Phone(sip, number);
  }

  /**
   * The next message `want` takes, within `timeoutMs`; on the way a BYE is answered 200 and anything
   * else skipped (100 Trying, a retransmission).
   */
  async next<T>(
    what: string,
    want: (m: SipRequest | SipResponse) => T | undefined,
    timeoutMs = 3000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`phone ${this.number}: no ${what} within ${timeoutMs} ms`);
      let data: Buffer;
      try {
        data = await this.sip.next(left);
      } catch {
        throw new Error(`phone ${this.number}: no ${what} within ${timeoutMs} ms`);
      }
      const m = parseMessage(data);
      if (!(m instanceof SipRequest) && !(m instanceof SipResponse)) continue;
      const got = want(m);
      if (got !== undefined) return got;
      if (m instanceof SipRequest && m.method === 'BYE') {
        this.sip.send(answer(m, 200, 'OK'));
        this.byes++;
      }
    }
  }

  /** Takes the dialer's INVITE, answers 200 with `answerSdp` and waits for the ACK. */
  async answerCall(answerSdp: string): Promise<void> {
    const invite = await this.next('INVITE', (m) =>
      m instanceof SipRequest && m.method === 'INVITE' ? m : undefined,
    );
    this.invite = invite;
    // §12.1.1: the 2xx copies the Record-Route lines; the dialog's route set is them, in order.
    const ok = res(answer(invite, 200, 'OK'));
    this.routes = invite.headerValues('record-route');
    for (const rr of this.routes) ok.appendHeader('Record-Route', rr);
    ok.appendHeader('Contact', this.contact());
    ok.setBody(Buffer.from(answerSdp), 'application/sdp');
    this.local = ok.header('to')!;
    this.remote = invite.header('from')!;
    this.target = invite.contacts[0]!.uriText;
    this.sip.send(ok.toBuffer());
    await this.next('ACK of our 200', (m) => (m instanceof SipRequest && m.method === 'ACK' ? m : undefined));
  }

  /**
   * Sends a re-INVITE in the dialog (with an offer, or none) and returns the dialer's 2xx to it (or its
   * final refusal, when `refusal` is true).
   */
  async reInvite(offer?: string, refusal = false): Promise<SipResponse> {
    const cseq = ++this.cseq;
    this.sip.send(this.request('INVITE', cseq, offer));
    const ok = await this.next(`2xx to re-INVITE CSeq ${cseq}`, (m) =>
      m instanceof SipResponse && m.cseq.method === 'INVITE' && m.cseq.seq === cseq && m.status >= 200
        ? m
        : undefined,
    );
    if (ok.status >= 300 && refusal) return ok;
    if (ok.status >= 300) throw new Error(`re-INVITE refused:\n${ok.toString()}`);
    this.target = ok.contacts[0]?.uriText ?? this.target; // a target refresh (§12.2.1.2)
    return ok;
  }

  /** Sends another request in the dialog (UPDATE, INFO...) and returns the dialer's final answer. */
  async inDialog(method: string, body?: string): Promise<SipResponse> {
    const cseq = ++this.cseq;
    this.sip.send(this.request(method, cseq, body));
    return this.next(`final answer to ${method} CSeq ${cseq}`, (m) =>
      m instanceof SipResponse && m.cseq.method === method && m.cseq.seq === cseq && m.status >= 200
        ? m
        : undefined,
    );
  }

  /** The ACK of the 2xx to our last re-INVITE (§13.2.2.4), with the answer when the 2xx was an offer. */
  ack(answerSdp?: string): void {
    this.sip.send(this.request('ACK', this.cseq, answerSdp));
  }

  /** Waits for the dialer to end the call (its BYE, answered 200). */
  async hungUp(timeoutMs: number): Promise<void> {
    if (this.byes > 0) return;
    const bye = await this.next(
      'BYE',
      (m) => (m instanceof SipRequest && m.method === 'BYE' ? m : undefined),
      timeoutMs,
    );
    this.sip.send(answer(bye, 200, 'OK'));
    this.byes++;
  }

  private contact(): string {
    return `<sip:${this.number}@127.0.0.1:${this.sip.localPort}>`;
  }

  /** A request of ours in the dialog (§12.2.1.1). */
  private request(method: string, cseq: number, body?: string): Buffer {
    if (this.invite === undefined) throw new Error('no dialog yet');
    return sipBytes(
      [
        `${method} ${this.target} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${this.sip.localPort};branch=${newBranch()};rport`,
        'Max-Forwards: 70',
        ...this.routes.map((r) => `Route: ${r}`),
        `From: ${this.local}`,
        `To: ${this.remote}`,
        `Call-ID: ${this.invite.callId}`,
        `CSeq: ${cseq} ${method}`,
        `Contact: ${this.contact()}`,
        ...(body === undefined ? [] : ['Content-Type: application/sdp']),
      ],
      body ?? '',
    );
  }
}

/** Calls `phone` from the dialer for `seconds` of prompt; resolves with the campaign id. */
async function dial(phone: Phone, seconds: number): Promise<string> {
  const r = await lab.mml(`STR CALL SINGLE CALLEE=${phone.number} DURATION=${seconds}`);
  expect(r.retcode, r.message).toBe(0);
  return campaignId(r);
}

/** The one call's result once its campaign has finished. */
async function resultOf(id: string): Promise<CallResult> {
  await until('the campaign to finish', () => lab.a.dialer.campaign(id)?.state === 'finished', 3000);
  return lab.a.dialer.campaign(id)!.recent[0]!;
}

// ---------------------------------------------------------------- the tests

describe('dialer media after each offer/answer (RFC 3264)', () => {
  it.each(['sendonly', 'inactive'])(
    'an answer that is a=%s does not receive: no RTP is sent to it for the whole call (§6.1)',
    async (direction) => {
      const phone = await Phone.register(1004);
      const a = await rtpPort();
      const id = await dial(phone, 2);
      await phone.answerCall(sdp(a.port, 0, 1, direction));
      await phone.hungUp(6000); // DURATION 2 s: the prompt's time runs on though nothing goes out
      await sleep(100); // anything still in flight
      expect(a.payloadTypes).toEqual([]);
      expect(await resultOf(id)).toMatchObject({ answered: true, end: 'local', rtpSent: 0 });
    },
  );

  it('follows a far-end re-INVITE that changes port and codec: PCMU to A, then PCMA only to B (§8.3.1, §8.3.2)', async () => {
    const phone = await Phone.register(1005);
    const [a, b] = [await rtpPort(), await rtpPort()];
    const id = await dial(phone, 3);
    await phone.answerCall(sdp(a.port, 0, 1));
    await sleep(500);
    // The new offer: port B, PCMA only (o= version 2: a changed session, §8).
    const ok = await phone.reInvite(sdp(b.port, 8, 2));
    phone.ack();
    expect(audioLine(Buffer.from(ok.body))).toMatch(/^m=audio \d+ RTP\/AVP 8$/);
    await sleep(100); // packets sent to A before the 200 may still be on their way
    const atA = a.payloadTypes.length;
    await phone.hungUp(6000);
    await sleep(100);
    expect(atA).toBeGreaterThan(10); // ~0.5 s of PCMU before the re-INVITE
    expect(new Set(a.payloadTypes)).toEqual(new Set([0]));
    expect(a.payloadTypes.length).toBe(atA); // nothing more to A once moved
    expect(b.payloadTypes.length).toBeGreaterThan(50); // most of the remaining ~2.5 s
    expect(b.payloadTypes.filter((pt) => pt !== 8)).toEqual([]); // PCMA only: no PT 0 at B
    expect(await resultOf(id)).toMatchObject({ answered: true, end: 'local' });
  });

  it('refuses an UPDATE with an offer and an INFO with 405 and its Allow (RFC 3261 §8.2.1, RFC 3311), and goes on', async () => {
    const phone = await Phone.register(1008);
    const [a, b] = [await rtpPort(), await rtpPort()];
    const id = await dial(phone, 3);
    await phone.answerCall(sdp(a.port, 0, 1));
    await sleep(300);
    for (const [method, body] of [
      ['UPDATE', sdp(b.port, 8, 2)],
      ['INFO', undefined],
    ] as const) {
      const refused = await phone.inDialog(method, body);
      expect([refused.status, refused.header('allow')]).toEqual([405, 'INVITE, ACK, CANCEL, BYE, OPTIONS']);
    }
    expect((await phone.inDialog('OPTIONS')).status).toBe(200);
    const atA = a.payloadTypes.length;
    await phone.hungUp(6000);
    expect(a.payloadTypes.length).toBeGreaterThan(atA + 50); // still to A, in PCMU
    expect(b.payloadTypes).toEqual([]);
    expect(await resultOf(id)).toMatchObject({ answered: true, end: 'local' });
  });

  it('refuses a far-end re-INVITE with no codec in common (488, RFC 3261 §14.2) and goes on as it was', async () => {
    const phone = await Phone.register(1007);
    const [a, b] = [await rtpPort(), await rtpPort()];
    const id = await dial(phone, 3);
    await phone.answerCall(sdp(a.port, 0, 1));
    await sleep(500);
    const g729 = sdp(b.port, 0, 2)
      .replace(/RTP\/AVP 0/, 'RTP/AVP 18')
      .replace(/a=rtpmap:0 PCMU/, 'a=rtpmap:18 G729');
    const refused = await phone.reInvite(g729, true);
    expect(refused.status).toBe(488);
    const atA = a.payloadTypes.length;
    await phone.hungUp(6000);
    expect(a.payloadTypes.length).toBeGreaterThan(atA + 50); // the rest of the call, still to A
    expect(new Set(a.payloadTypes)).toEqual(new Set([0]));
    expect(b.payloadTypes).toEqual([]);
    expect(await resultOf(id)).toMatchObject({ answered: true, end: 'local' });
  });

  it('follows the answer in the ACK of a far-end re-INVITE without SDP: RTP moves to port C (RFC 3261 §14.2)', async () => {
    const phone = await Phone.register(1006);
    const [a, c] = [await rtpPort(), await rtpPort()];
    const id = await dial(phone, 3);
    await phone.answerCall(sdp(a.port, 0, 1));
    await sleep(500);
    // A re-INVITE with the same offer first: the dialer's answer is its description's version 2.
    const version = (body: Uint8Array): number =>
      Number(/^o=\S+ \S+ (\d+)/m.exec(Buffer.from(body).toString())?.[1]);
    const again = await phone.reInvite(sdp(a.port, 0, 2));
    phone.ack();
    expect(version(again.body)).toBe(2);
    // No offer: the dialer's 200 must make one (PCMU and PCMA), and our ACK answers it. Its o= version
    // goes on from the last one given out (RFC 3264 §8), not back to the INVITE's 1.
    const ok = await phone.reInvite();
    const offered = audioLine(Buffer.from(ok.body))?.split(' ').slice(3); // m=audio <port> RTP/AVP <fmt>...
    expect(offered).toEqual(expect.arrayContaining(['0', '8']));
    expect(version(ok.body)).toBe(3);
    phone.ack(sdp(c.port, 0, 2));
    await phone.hungUp(6000);
    await sleep(100);
    expect(a.payloadTypes.length).toBeGreaterThan(10);
    expect(c.payloadTypes.length).toBeGreaterThan(50); // the ~2.5 s after the ACK
    expect(new Set(c.payloadTypes)).toEqual(new Set([0]));
    expect(await resultOf(id)).toMatchObject({ answered: true, end: 'local' });
  });
});
