// The UDP listener's outgoing datagrams, sent together once the event loop has handled what it read.
//
// Node reads up to 32 datagrams in one turn of its poll phase and runs the SIP work of each at once; a
// send made there at once is a sendmsg that delivers to the peer on loopback, wakes it and is often
// preempted by it, one datagram at a time. Held until the check phase that follows (setImmediate), the
// turn's answers leave back to back: the peer is woken once and reads the rest while it runs. Measured
// (README, Performance, twenty-fourth round): 5-16% less CPU a registration on the REGISTER ladder and
// 10-15% less a call, the sends' share of the loop from 24% to 15-18%. A datagram waits at most the rest
// of its turn, which the SIP work of the other datagrams read with it bounds (a millisecond or two at
// full load).
//
// Order is kept (one queue); a message's bytes are not written again by anyone once handed to send()
// (core/sip/message/out-buffer.ts carves a new slab rather than reuse one), as dgram itself requires.
import type { Socket } from 'node:dgram';
import type { SendFailureSink } from './send-failure';

export class UdpOutbox {
  private data: Buffer[] = [];
  private ports: number[] = [];
  private addresses: string[] = [];
  private sinks: (SendFailureSink | undefined)[] = [];
  /** Told as each datagram leaves: the SIP trace stamps it then, not when it was queued. */
  private wires: ((() => void) | undefined)[] = [];
  private armed = false;
  private readonly onCheck = (): void => {
    this.armed = false;
    this.flush();
  };

  /** `socket()` is the socket to send on at flush time (undefined once closed: every waiting send fails). */
  constructor(private readonly socket: () => Socket | undefined) {}

  get size(): number {
    return this.data.length;
  }

  /**
   * Queues a datagram for the end of this turn of the event loop; `onWire` is called as it leaves (the
   * trace's tap: a 100 Trying stamped when queued left 6.6 ms later on a busy turn).
   */
  push(
    data: Buffer,
    port: number,
    address: string,
    onError: SendFailureSink | undefined,
    onWire?: () => void,
  ): void {
    this.data.push(data);
    this.ports.push(port);
    this.addresses.push(address);
    this.sinks.push(onError);
    this.wires.push(onWire);
    if (!this.armed) {
      this.armed = true;
      setImmediate(this.onCheck);
    }
  }

  /** Sends every queued datagram now, in order (also before the socket closes). */
  flush(): void {
    const { data, ports, addresses, sinks, wires } = this;
    if (data.length === 0) return;
    this.data = [];
    this.ports = [];
    this.addresses = [];
    this.sinks = [];
    this.wires = [];
    const socket = this.socket();
    for (let i = 0; i < data.length; i++) {
      const onError = sinks[i];
      if (socket === undefined) {
        onError?.transportError();
        continue;
      }
      wires[i]?.();
      try {
        if (onError === undefined) socket.send(data[i]!, ports[i], addresses[i]);
        else socket.send(data[i]!, ports[i], addresses[i], (err) => err && onError.transportError(err));
      } catch (err) {
        onError?.transportError(err as Error); // an address Node refuses outright
      }
    }
  }
}
