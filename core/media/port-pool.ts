// RTP ports from a configured range (DIALER.RTP_PORT_MIN..MAX): an even port for RTP and the next odd
// one for RTCP (RFC 3550 §11), bound together; released when the call's media closes, whatever ended it.
// A pair given back rests REUSE_DELAY_MS before another call takes it: a far end often sends for 100-200
// ms after the BYE (an echo's tail still on its way), and with the range full the next call would take
// that very pair and count the old call's late packets as its own (received above sent against an echo).
import { createSocket, type Socket } from 'node:dgram';

export interface RtpSockets {
  port: number;
  rtp: Socket;
  rtcp: Socket;
}

function bind(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
    s.once('error', (err) => {
      s.close();
      reject(err);
    });
    s.bind(port, host, () => {
      s.removeAllListeners('error');
      resolve(s);
    });
  });
}

/** How long a released pair rests before it is handed out again. */
export const REUSE_DELAY_MS = 250;

/** How long a pair another program holds is left out before it is tried again. */
export const HELD_RETRY_MS = 5000;

/** No pair of the range could be bound now (all in use, resting, or held by another program). */
export class NoFreePairError extends Error {
  override name = 'NoFreePairError';
}

export class RtpPortPool {
  private readonly used = new Set<number>();
  /** Pairs released less than REUSE_DELAY_MS ago. */
  private readonly resting = new Set<number>();
  private readonly released = new Set<() => void>();
  /** Pairs another program holds (a bind failed), left out until HELD_RETRY_MS has passed. */
  private readonly held = new Set<number>();
  /** Ports already said to be held (said once, not at every retry). */
  private readonly said = new Set<number>();
  private heldTimer: NodeJS.Timeout | undefined;
  private cursor: number;
  /** Hears a pair found held by another program, once per port: the log's WARNING. */
  onHeld: ((port: number, why: string, usable: number) => void) | undefined;

  constructor(
    private min: number,
    private max: number,
  ) {
    this.cursor = this.first;
  }

  /** A new range applies to later allocations. */
  reconfigure(min: number, max: number): void {
    this.min = min;
    this.max = max;
    this.cursor = this.first;
    this.held.clear();
  }

  private get first(): number {
    return this.min % 2 === 0 ? this.min : this.min + 1;
  }

  get inUse(): number {
    return this.used.size;
  }

  get capacity(): number {
    return Math.max(0, Math.floor((this.max - this.first + 1) / 2));
  }

  /** Pairs of the range no other program holds (as far as the last binds found). */
  get usable(): number {
    return Math.max(0, this.capacity - this.held.size);
  }

  /** Pairs neither in use, resting nor held by another program: what a call may take now. */
  get free(): number {
    return Math.max(0, this.usable - this.used.size - this.resting.size);
  }

  /** Hears each pair given back (a call waiting for one may go); returns the unsubscribe function. */
  onRelease(listener: () => void): () => void {
    this.released.add(listener);
    return () => this.released.delete(listener);
  }

  /** Binds the next free pair on `host`; rejects when the range is exhausted. */
  async open(host: string): Promise<RtpSockets> {
    const pairs = this.capacity;
    for (let tried = 0; tried < pairs; tried++) {
      const port = this.cursor;
      this.cursor = port + 2 > this.max - 1 ? this.first : port + 2;
      if (this.used.has(port) || this.resting.has(port) || this.held.has(port)) continue;
      this.used.add(port);
      let rtp: Socket | undefined;
      try {
        rtp = await bind(host, port);
        const rtcp = await bind(host, port + 1);
        return { port, rtp, rtcp };
      } catch (err) {
        rtp?.close();
        this.used.delete(port); // taken by someone else: try the next pair
        this.hold(port, rtp === undefined ? port : port + 1, err);
      }
    }
    const held = this.held.size === 0 ? '' : `, ${this.held.size} held by another program`;
    throw new NoFreePairError(
      `no free RTP port pair in ${this.min}-${this.max} (${this.used.size} in use${held})`,
    );
  }

  /** A pair another program holds: left out of free (calls wait for a pair rather than fail) a while. */
  private hold(port: number, failed: number, err: unknown): void {
    this.held.add(port);
    if (!this.said.has(port)) {
      this.said.add(port);
      this.onHeld?.(failed, (err as Error).message, this.usable);
    }
    this.heldTimer ??= setTimeout(() => {
      this.heldTimer = undefined;
      this.held.clear();
      for (const l of this.released) l(); // a call waiting may try them again
    }, HELD_RETRY_MS);
    this.heldTimer.unref();
  }

  release(s: RtpSockets): void {
    for (const sock of [s.rtp, s.rtcp]) {
      try {
        sock.close();
      } catch {
        // already closed
      }
    }
    if (!this.used.delete(s.port)) return;
    this.resting.add(s.port);
    setTimeout(() => {
      this.resting.delete(s.port);
      for (const l of this.released) l();
    }, REUSE_DELAY_MS).unref();
  }
}
