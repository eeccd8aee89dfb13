// The non-INVITE server transaction (RFC 3261 §17.2.2, figure 8):
//   Trying --1xx--> Proceeding --final--> Completed --Timer J--> Terminated
// Retransmitted requests are absorbed: answered with the last response sent, never passed up.
import type { SipRequest } from '../message/index';
import { ServerTransaction } from './server-transaction';
import type { TransactionState } from './transaction';

export class NonInviteServerTransaction extends ServerTransaction {
  state: TransactionState = 'Trying';

  respond(data: Buffer, status: number): void {
    if (this.state === 'Completed' || this.state === 'Terminated') return;
    this.transmit(data, String(status));
    if (status < 200) {
      this.state = 'Proceeding';
      return;
    }
    this.state = 'Completed';
    this.request = undefined;
    this.lastResponse = undefined;
    // Timer J: absorb request retransmissions for 64*T1 on UDP, none on reliable transports. The layer
    // keeps only the response and its destination that long (completed-non-invite.ts), not this machine.
    if (this.t.J > 0) this.host.completed(this.key, data, this.target, String(status), this.t.J, this.method);
    else this.terminate();
  }

  receive(_request: SipRequest): void {
    // Trying: nothing to resend yet. Proceeding / Completed: resend the last response.
    if (this.state === 'Proceeding' || this.state === 'Completed') this.retransmitLast();
  }

  protected timerFired(): void {
    // No timer of its own: Timer J runs in the layer's LingerQueue.
  }
}
