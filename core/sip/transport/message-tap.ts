// The message tap: every SIP message the transport receives or sends, handed to whoever follows it (the
// SIP trace, the log's DEBUG lines, the HEP sender) with its raw bytes, direction, a microsecond
// timestamp, both ends and the transport. The hot path pays one branch when nobody listens: no event
// is built, no clock read. When someone does, one event object is filled in place and lent to each
// listener in turn (valid only during the call: a listener that keeps something copies it).
import type { SipMessage } from '../message/index';
import type { TransportName } from './peer';
import { wallClockUs } from '../../observe/wall-clock-us';

export type TapDirection = 'in' | 'out';

/** One end of a message as the tap reports it. */
export interface TapEndpoint {
  address: string;
  port: number;
}

export interface TappedMessage {
  direction: TapDirection;
  /** The message's bytes exactly as they crossed the wire (lent: copy to keep). */
  data: Buffer;
  /** Microseconds since the epoch. */
  timeUs: number;
  transport: TransportName;
  /** Our end: the listener's address (see MessageTap.localFor) and port. */
  local: TapEndpoint;
  /** The peer's end. */
  remote: TapEndpoint;
  /** Received messages: the parsed message when it parsed (senders leave it undefined). */
  message: SipMessage | undefined;
  /** Received messages that did not parse or check: why (e.g. "400 Malformed Via header"). */
  error: string | undefined;
}

export type TapListener = (m: TappedMessage) => void;

/** Microseconds since the epoch: the high-resolution clock, kept on the wall clock (wall-clock-us.ts). */
export const nowUs: () => number = wallClockUs();

export class MessageTap {
  private listeners: TapListener[] = [];
  /** True when at least one listener follows: the transport checks it before building anything. */
  active = false;
  /** The clock (tests set a fake one). */
  clock: () => number = nowUs;
  /** Reports a listener that threw (the tap never lets one break the transport). */
  onListenerError: (err: unknown) => void = () => undefined;
  private readonly event: TappedMessage = {
    direction: 'in',
    data: Buffer.alloc(0),
    timeUs: 0,
    transport: 'UDP',
    local: { address: '', port: 0 },
    remote: { address: '', port: 0 },
    message: undefined,
    error: undefined,
  };
  private depth = 0;

  /** Follows every message from now on; returns the function that stops it. */
  on(listener: TapListener): () => void {
    this.listeners = [...this.listeners, listener];
    this.active = true;
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
      this.active = this.listeners.length > 0;
    };
  }

  emit(
    direction: TapDirection,
    data: Buffer,
    transport: TransportName,
    local: TapEndpoint,
    remoteAddress: string,
    remotePort: number,
    message?: SipMessage,
    error?: string,
  ): void {
    // A listener that sends (none should) would re-enter: give that one an event of its own.
    const e: TappedMessage =
      this.depth === 0 ? this.event : { ...this.event, remote: { address: '', port: 0 } };
    e.direction = direction;
    e.data = data;
    e.timeUs = this.clock();
    e.transport = transport;
    e.local = local;
    e.remote.address = remoteAddress;
    e.remote.port = remotePort;
    e.message = message;
    e.error = error;
    this.depth++;
    try {
      for (const l of this.listeners) {
        try {
          l(e);
        } catch (err) {
          this.onListenerError(err);
        }
      }
    } finally {
      this.depth--;
      e.data = EMPTY;
      e.message = undefined;
    }
  }
}

const EMPTY = Buffer.alloc(0);
