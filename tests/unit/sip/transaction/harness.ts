// A transaction layer with a fake clock and a transport that records what was sent.
import { CounterSet } from '../../../../core/observe/counters';
import { parseMessage, SipParseError, type SipMessage } from '../../../../core/sip/message/index';
import { TransactionLayer, type TransactionCore } from '../../../../core/sip/transaction/layer';
import { TimerWheel } from '../../../../core/sip/transaction/timer-wheel';
import { DEFAULT_TIMERS } from '../../../../core/sip/transaction/timer-values';
import type { ServerTransaction } from '../../../../core/sip/transaction/server-transaction';
import type { Peer } from '../../../../core/sip/transport/peer';

export interface Sent {
  at: number;
  to: Peer;
  kind: string;
  message: SipMessage;
  /** The request method a response was said to answer (sip_replies_total). */
  replyTo?: string;
}

export function harness() {
  let clock = 1_000_000;
  const timers = new TimerWheel({ manual: true, now: () => clock });
  const sent: Sent[] = [];
  const counters = new CounterSet();
  /** Set it to make every send fail as a transport error (after recording what was sent). */
  const transport = { failing: false };
  const layer = new TransactionLayer(
    {
      send(data, to, kind, onError, replyTo) {
        if (transport.failing) {
          onError?.transportError();
          return;
        }
        const message = parseMessage(data);
        if (message instanceof SipParseError)
          throw new Error(`sent bytes do not parse: ${message.toString()}`);
        sent.push({ at: clock, to, kind, message, ...(replyTo === undefined ? {} : { replyTo }) });
      },
    },
    timers,
    { ...DEFAULT_TIMERS },
    counters,
  );
  const up: { request: SipMessage; tx: ServerTransaction | undefined }[] = [];
  const strays: SipMessage[] = [];
  const core: TransactionCore = {
    onRequest: (request, tx) => up.push({ request, tx }),
    onStrayResponse: (response) => strays.push(response),
  };
  layer.attachCore(core);
  const start = clock;
  return {
    layer,
    timers,
    transport,
    sent,
    up,
    strays,
    counters,
    /** Milliseconds since the harness was made. */
    elapsed: () => clock - start,
    advance(ms: number) {
      clock += ms;
      timers.advanceTo(clock);
    },
    /** Moves time in 10 ms steps up to `ms` (so timers fire at their own times). */
    run(ms: number) {
      for (let t = 0; t < ms; t += 10) {
        clock += 10;
        timers.advanceTo(clock);
      }
    },
    sentAt: (kind: string) => sent.filter((s) => s.kind === kind).map((s) => s.at - start),
  };
}

export const UDP_PEER: Peer = { transport: 'UDP', address: '10.0.0.5', port: 5062 };
export const TCP_PEER: Peer = { transport: 'TCP', address: '10.0.0.5', port: 40000 };
