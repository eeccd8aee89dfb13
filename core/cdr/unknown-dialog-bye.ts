// The row of a call only its BYE says anything of: IMS Lab was killed (kill -9, a power cut) moments after
// the call was answered, before the journal of calls in progress (live-calls.ts, flushed every 50 ms)
// held it, and the restarted proxy relayed the BYE of a dialog it did not know (its Record-Route mark,
// dialog-token.ts, proves the dialog went through IMS Lab). Before, such a call left no row at all. Its
// start, answer and media are unknown: the row starts and ends at the BYE and says so, with what the BYE gives (Call-ID, From, To, the
// sender's address, when it ended). The BYE's sender is taken as the caller when the From is the mark's
// caller (RFC 3261 §12.2.1.1: each party writes its own URI and tag in From).
import type { SipRequest } from '../sip/message/index';
import type { Peer } from '../sip/transport/peer';
import { blank, UNCLEAN_STOP_TERMINATION, uriUser } from './from-events';
import type { NewCdrRecord } from './record';
import { cdrTime } from './clock-fields';

/** end_reason of such a row. */
export const UNKNOWN_SETUP_REASON = 'Set up before an unclean stop (setup unknown): its BYE only';

/** How many Call-IDs are remembered so that the other party's BYE makes no second row. */
const REMEMBERED = 1000;

export class UnknownDialogByes {
  readonly #seen = new Set<string>();
  /** The Call-IDs of the calls the journal held at the start: their rows are written (UNCLEAN_SHUTDOWN). */
  readonly #recovered = new Set<string>();
  /** Rows written since the start. */
  count = 0;

  /** A call the journal held at the start: its row is written, its BYE makes none. */
  recovered(callId: string): void {
    this.#recovered.add(callId);
  }

  /** The row for this BYE; undefined for a Call-ID that has one already. */
  record(req: SipRequest, source: Peer, at: number): NewCdrRecord | undefined {
    if (this.#seen.has(req.callId) || this.#recovered.has(req.callId)) return undefined;
    this.#seen.add(req.callId);
    if (this.#seen.size > REMEMBERED) this.#seen.delete(this.#seen.values().next().value!);
    this.count++;
    const from = req.from.uri.raw;
    const to = req.to.uri.raw;
    return {
      ...blank(at),
      record_type: 'CALL',
      call_state: 'ENDED',
      end_time: cdrTime(at),
      ended_at: at,
      call_id: req.callId,
      sip_call_id: req.callId,
      caller_uri: from,
      caller_number: uriUser(from),
      caller_ip: source.address,
      caller_port: source.port,
      callee_uri: to,
      callee_number: uriUser(to),
      transport: source.transport,
      cseq: `${req.cseq.seq} BYE`,
      from_uri: from,
      to_uri: to,
      termination_reason: UNCLEAN_STOP_TERMINATION,
      end_reason: UNKNOWN_SETUP_REASON,
    };
  }
}
