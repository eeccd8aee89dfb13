// The non-INVITE client transaction (RFC 3261 §17.1.2, figure 6):
//   Trying --1xx--> Proceeding --final--> Completed --Timer K--> Terminated
//   Trying / Proceeding --Timer F--> Terminated (timeout)
// Timer E retransmits on UDP: T1, doubling up to T2 in Trying; every T2 in Proceeding.
import type { SipResponse } from '../message/index';
import { ClientTransaction } from './client-transaction';
import type { TransactionState } from './transaction';

export class NonInviteClientTransaction extends ClientTransaction {
  state: TransactionState = 'Trying';
  private e = 0;

  start(): void {
    this.sendRequest(false);
    if (this.t.unreliable) {
      this.e = this.t.E;
      this.startTimer('E', this.e);
    }
    this.startTimer('F', this.t.F);
  }

  receive(response: SipResponse): void {
    if (this.state !== 'Trying' && this.state !== 'Proceeding') return;
    if (response.status < 200) {
      this.state = 'Proceeding';
      this.user.onResponse(response, this);
      return;
    }
    this.state = 'Completed';
    this.stopTimer('E');
    this.stopTimer('F');
    this.release();
    this.user.onResponse(response, this);
    if (this.t.K > 0) this.startTimer('K', this.t.K);
    else this.terminate();
  }

  protected timerFired(name: string): void {
    switch (name) {
      case 'E':
        this.sendRequest(true);
        this.e = this.state === 'Trying' ? Math.min(2 * this.e, this.t.t2) : this.t.t2;
        this.startTimer('E', this.e);
        return;
      case 'F':
        this.user.onTimeout?.(this);
        this.terminate();
        return;
      case 'K':
        this.terminate();
        return;
    }
  }
}
