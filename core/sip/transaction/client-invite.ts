// The INVITE client transaction (RFC 3261 §17.1.1, with RFC 6026 §7.2's Accepted state):
//   Calling --1xx--> Proceeding --2xx--> Accepted --Timer M--> Terminated
//   Calling / Proceeding --300-699--> Completed (ACK sent) --Timer D--> Terminated
//   Calling --Timer B--> Terminated (timeout)
// Timer A retransmits the INVITE on UDP, doubling, until a response arrives. 2xx responses, the first
// and any retransmission or other fork, all go to the TU: their ACK is the TU's business (§13.2.2.4).
import type { SipResponse } from '../message/index';
import { ClientTransaction } from './client-transaction';
import { ackForFailure } from './invite-companions';
import type { TransactionState } from './transaction';

export class InviteClientTransaction extends ClientTransaction {
  state: TransactionState = 'Calling';
  private a = 0;
  private ack: Buffer | undefined;

  start(): void {
    this.sendRequest(false);
    if (this.t.unreliable) {
      this.a = this.t.A;
      this.startTimer('A', this.a);
    }
    this.startTimer('B', this.t.B);
  }

  receive(response: SipResponse): void {
    const status = response.status;
    switch (this.state) {
      case 'Calling':
      case 'Proceeding':
        this.stopTimer('A');
        if (status < 200) {
          if (this.state === 'Calling') this.stopTimer('B');
          this.state = 'Proceeding';
          this.user.onResponse(response, this);
        } else if (status < 300) {
          this.stopTimer('B');
          this.state = 'Accepted';
          this.release();
          this.startTimer('M', this.t.M);
          this.user.onResponse(response, this);
        } else {
          this.stopTimer('B');
          this.state = 'Completed';
          this.ack = ackForFailure(this.request!, response);
          this.release();
          this.host.send(this.ack, this.target, 'ACK');
          this.user.onResponse(response, this);
          if (this.t.D > 0) this.startTimer('D', this.t.D);
          else this.terminate();
        }
        return;
      case 'Accepted':
        if (status >= 200 && status < 300) this.user.onResponse(response, this);
        return;
      case 'Completed':
        // A retransmitted final response: resend the ACK, tell no one (§17.1.1.2).
        if (status >= 300 && this.ack !== undefined) {
          this.host.retransmitted('ACK');
          this.host.send(this.ack, this.target, 'ACK');
        }
        return;
      default:
        return;
    }
  }

  /**
   * RFC 6026 §7.2: in Accepted nothing is left but passing further 2xx up until Timer M. The machine ends
   * here, the layer keeps a record in its place (accepted-invite.ts); returns when Timer M is due, or
   * undefined (and does nothing) in any other state.
   */
  retireAccepted(): number | undefined {
    const due = this.state === 'Accepted' ? this.dueOf('M') : undefined;
    if (due !== undefined) this.terminate();
    return due;
  }

  protected timerFired(name: string): void {
    switch (name) {
      case 'A':
        if (this.state !== 'Calling') return;
        this.sendRequest(true);
        this.a *= 2;
        this.startTimer('A', this.a);
        return;
      case 'B':
        if (this.state !== 'Calling') return;
        this.user.onTimeout?.(this);
        this.terminate();
        return;
      case 'D':
      case 'M':
        this.terminate();
        return;
    }
  }
}
