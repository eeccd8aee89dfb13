// A browser-like SIP phone over a WebSocket for integration tests (what JsSIP does, by hand): its Via
// sent-by and Contact host are made up under .invalid (RFC 7118 §5.2), so every request for it must come
// down its connection. It places a call (407 answered with IMS Lab's digest client code, ACK and BYE
// along the route set) and answers one (200 with the Record-Route echoed, then 200 to the BYE).
import { answerChallenge } from '../../../core/sip/auth/digest';
import {
  SipRequest,
  SipResponse,
  newBranch,
  newCallId,
  newTag,
  parseMessage,
} from '../../../core/sip/message/index';
import type { Credentials } from '../../support/sip-client';
import type { WsChannel } from '../../support/secure-channels';
import { sipBytes } from '../../support/sip-text';

export const SDP = [
  'v=0',
  'o=- 1 1 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 40000 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

export class WsPhone {
  readonly contact: string;

  constructor(
    readonly ch: WsChannel,
    readonly creds: Credentials,
  ) {
    this.contact = `sip:${creds.username}@${ch.localHost};transport=${ch.transport.toLowerCase()}`;
  }

  private via(branch: string): string {
    return `Via: SIP/2.0/${this.ch.transport} ${this.ch.localHost};branch=${branch}`;
  }

  /** The next message (responses 100 skipped when `skipTrying`), parsed. */
  async next(timeoutMs = 3000): Promise<SipRequest | SipResponse> {
    const m = parseMessage(await this.ch.next(timeoutMs));
    if (m instanceof SipRequest || m instanceof SipResponse) return m;
    throw new Error(`unparsable message from the server: ${String(m)}`);
  }

  async nextResponse(timeoutMs = 3000): Promise<SipResponse> {
    for (;;) {
      const m = await this.next(timeoutMs);
      if (m instanceof SipResponse && m.status !== 100) return m;
    }
  }

  async nextRequest(timeoutMs = 3000): Promise<SipRequest> {
    for (;;) {
      const m = await this.next(timeoutMs);
      if (m instanceof SipRequest) return m;
    }
  }

  /** INVITE `uri` (its user at the server): 407, ACK, INVITE again with credentials; returns the 200. */
  async call(uri: string): Promise<{ ok: SipResponse; callId: string; fromTag: string; from: string }> {
    const callId = newCallId('ws-phone');
    const fromTag = newTag();
    const hostPort = uri.replace(/^sips?:[^@]*@/, '').replace(/;.*$/, '');
    const from = `<sip:${this.creds.username}@${hostPort}>`;
    const invite = (cseq: number, branch: string, extra: string[]): Buffer =>
      sipBytes(
        [
          `INVITE ${uri} SIP/2.0`,
          this.via(branch),
          'Max-Forwards: 70',
          `From: ${from};tag=${fromTag}`,
          `To: <${uri}>`,
          `Call-ID: ${callId}`,
          `CSeq: ${cseq} INVITE`,
          `Contact: <${this.contact};ob>`,
          'Content-Type: application/sdp',
          ...extra,
        ],
        SDP,
      );
    const first = newBranch();
    this.ch.send(invite(1, first, []));
    const challenge = await this.nextResponse();
    if (challenge.status !== 407) throw new Error(`expected 407, got:\n${challenge.toString()}`);
    this.ch.send(
      sipBytes([
        `ACK ${uri} SIP/2.0`,
        this.via(first),
        'Max-Forwards: 70',
        `From: ${from};tag=${fromTag}`,
        `To: ${challenge.header('to')}`,
        `Call-ID: ${callId}`,
        'CSeq: 1 ACK',
      ]),
    );
    const auth = answerChallenge(challenge.headerValues('proxy-authenticate'), this.creds, 'INVITE', uri);
    if (auth === undefined) throw new Error('no usable challenge');
    this.ch.send(invite(2, newBranch(), [`Proxy-Authorization: ${auth}`]));
    for (;;) {
      const r = await this.nextResponse(8000);
      if (r.status >= 200) {
        if (r.status !== 200) throw new Error(`call failed:\n${r.toString()}`);
        return { ok: r, callId, fromTag, from };
      }
    }
  }

  /** An in-dialog request as the caller (ACK for the 2xx, BYE): along the reversed Record-Route. */
  inDialog(
    method: 'ACK' | 'BYE',
    ok: SipResponse,
    cseq: number,
    dialog: { callId: string; fromTag: string; from: string },
  ): void {
    const target = ok.contacts[0]!.uriText;
    const routes = ok.recordRoutes.map((r) => r.raw).reverse();
    this.ch.send(
      sipBytes([
        `${method} ${target} SIP/2.0`,
        this.via(newBranch()),
        'Max-Forwards: 70',
        ...routes.map((r) => `Route: ${r}`),
        `From: ${dialog.from};tag=${dialog.fromTag}`,
        `To: ${ok.header('to')}`,
        `Call-ID: ${dialog.callId}`,
        `CSeq: ${cseq} ${method}`,
      ]),
    );
  }

  /** The answer to a request this phone received: 200 with Record-Route echoed and our Contact (and SDP for INVITE). */
  answer(req: SipRequest, status = 200, toTag = newTag()): void {
    const to = req.header('to') ?? '';
    const sdp = req.method === 'INVITE' && status === 200;
    this.ch.send(
      sipBytes(
        [
          `SIP/2.0 ${status} ${status === 200 ? 'OK' : 'Ringing'}`,
          ...req.headerValues('via').map((v) => `Via: ${v}`),
          ...req.headerValues('record-route').map((v) => `Record-Route: ${v}`),
          `From: ${req.header('from')}`,
          `To: ${/;tag=/.test(to) ? to : `${to};tag=${toTag}`}`,
          `Call-ID: ${req.callId}`,
          `CSeq: ${req.cseq.seq} ${req.cseq.method}`,
          `Contact: <${this.contact}>`,
          ...(sdp ? ['Content-Type: application/sdp'] : []),
        ],
        sdp ? SDP : '',
      ),
    );
  }
}
