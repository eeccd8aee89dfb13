// The callee of the start-up rehearsal (rehearsal.ts): IMS Lab's own user agent, answering every new
// INVITE at once (180, then 200 with an SDP answer and a Contact, §13.3.1) and every BYE with 200
// (§15.1.2); the caller's ACK needs nothing. Anything else goes to the user agent as usual.
import type { SipRequest } from '../sip/message/index';
import type { ServerTransaction } from '../sip/transaction/server-transaction';
import { UserAgent } from '../sip/ua/user-agent';

export class AnsweringAgent extends UserAgent {
  /** The SDP answer sent in every 200. */
  answer: Buffer = Buffer.alloc(0);

  override onRequest(req: SipRequest, tx: ServerTransaction | undefined, source: unknown): void {
    if (tx !== undefined && req.method === 'INVITE' && req.to.tag === undefined) {
      tx.reply(180);
      tx.reply(200, {
        headers: [['Contact', this.contact]],
        body: this.answer,
        contentType: 'application/sdp',
      });
      return;
    }
    if (tx !== undefined && req.method === 'BYE') {
      tx.reply(200);
      return;
    }
    super.onRequest(req, tx, source);
  }
}
