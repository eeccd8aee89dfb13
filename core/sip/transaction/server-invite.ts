// The INVITE server transaction (RFC 3261 §17.2.1, with RFC 6026 §7.1's Accepted state):
//   Proceeding --2xx--> Accepted --Timer L--> Terminated
//   Proceeding --300-699--> Completed --ACK--> Confirmed --Timer I--> Terminated
//                           Completed --Timer H--> Terminated (no ACK: the TU is told)
// 100 Trying goes out as soon as the transaction exists (§17.2.1; a proxy must send it, §16.2).
// In Completed the final response is retransmitted on Timer G (UDP) and on every INVITE retransmission.
import { buildResponse, type SipRequest } from '../message/index';
import { ServerTransaction } from './server-transaction';
import type { TransactionState } from './transaction';

export class InviteServerTransaction extends ServerTransaction {
  state: TransactionState = 'Proceeding';
  private g = 0;

  /** Sends the 100 Trying that tells the client to stop retransmitting (§17.2.1). */
  trying(): void {
    if (this.request !== undefined && this.lastResponse === undefined) {
      this.transmit(buildResponse(this.request, 100), '100');
    }
  }

  respond(data: Buffer, status: number): void {
    switch (this.state) {
      case 'Proceeding':
        this.transmit(data, String(status));
        if (status < 200) return;
        if (status < 300) {
          // RFC 6026: Accepted absorbs INVITE retransmissions while the 2xx is retransmitted end to end.
          // Nothing is resent from here: free the request and the response.
          this.state = 'Accepted';
          this.request = undefined;
          this.lastResponse = undefined;
          this.startTimer('L', this.t.L);
          return;
        }
        this.state = 'Completed';
        this.request = undefined;
        if (this.t.unreliable) {
          this.g = this.t.G;
          this.startTimer('G', this.g);
        }
        this.startTimer('H', this.t.H);
        return;
      default:
        // Accepted: further 2xx (retransmissions by the UAS core, or other branches of a fork) pass
        // through. After a non-2xx final (a proxy's 408 crossed by the callee's 200), a 2xx is still
        // forwarded, statelessly (§16.7 steps 5 and 10): the caller acknowledges it or hangs it up.
        if (status >= 200 && status < 300)
          this.host.send(data, this.target, String(status), undefined, 'INVITE');
        return;
    }
  }

  receive(request: SipRequest): void {
    if (request.method === 'ACK') {
      if (this.state === 'Completed') {
        this.state = 'Confirmed';
        this.lastResponse = undefined; // Confirmed only absorbs ACKs (§17.2.1)
        this.stopTimer('G');
        this.stopTimer('H');
        this.events.onAck?.(this, request);
        if (this.t.I > 0) this.startTimer('I', this.t.I);
        else this.terminate();
      }
      return;
    }
    // An INVITE retransmission: resend the last provisional or the final; absorbed when Accepted.
    if (this.state === 'Proceeding' || this.state === 'Completed') this.retransmitLast();
  }

  protected timerFired(name: string): void {
    switch (name) {
      case 'G':
        if (this.state !== 'Completed') return;
        this.retransmitLast();
        this.g = Math.min(2 * this.g, this.t.t2);
        this.startTimer('G', this.g);
        return;
      case 'H':
        this.events.onFailure?.(this, 'timeout');
        this.terminate();
        return;
      case 'I':
      case 'L':
        this.terminate();
        return;
    }
  }

  /**
   * RFC 6026 §7.1: in Accepted nothing is left but absorbing INVITE retransmissions until Timer L. The
   * machine ends here, the layer keeps a record in its place (accepted-invite.ts); returns when Timer L
   * is due, or undefined (and does nothing) in any other state.
   */
  retireAccepted(): number | undefined {
    const due = this.state === 'Accepted' ? this.dueOf('L') : undefined;
    if (due !== undefined) this.terminate();
    return due;
  }

  /** Done with it (the request is freed once nothing but retransmissions can need it). */
  protected override terminate(): void {
    this.request = undefined;
    super.terminate();
  }
}
