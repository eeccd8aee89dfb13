// The UDP listener: one socket, large kernel buffers (bursts of thousands of datagrams per second
// overflow the defaults), every datagram handed up with its source. Bound to :: it serves IPv6 and
// IPv4 both (dual stack): IPv4 peers appear as ::ffff:a.b.c.d to the socket and as a.b.c.d above it.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
import { literalLookup } from './literal-lookup';
import type { Peer } from './peer';
import type { SendFailureSink } from './send-failure';
import { UdpOutbox } from './udp-outbox';
import { UdpPeers } from './udp-peers';

export type DatagramHandler = (data: Buffer, source: Peer) => void;

export class UdpListener {
  private socket: Socket | undefined;
  private dualStack = false;
  private readonly peers = new UdpPeers();
  private readonly outbox = new UdpOutbox(() => this.socket);

  constructor(private readonly onDatagram: DatagramHandler) {}

  /** Binds host:port (port 0 picks a free one); resolves with the bound port. */
  async bind(host: string, port: number, bufferBytes = 8 * 1024 * 1024): Promise<number> {
    const v6 = isIPv6(host);
    const socket = createSocket({
      type: v6 ? 'udp6' : 'udp4',
      reuseAddr: false,
      ipv6Only: false,
      lookup: literalLookup,
    });
    this.dualStack = v6;
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    for (const set of [socket.setRecvBufferSize, socket.setSendBufferSize]) {
      try {
        set.call(socket, bufferBytes);
      } catch {
        // The kernel caps it at net.core.[rw]mem_max; the default is kept then.
      }
    }
    // A send to an unreachable port raises ICMP errors on some platforms: never fatal for a listener.
    socket.on('error', () => undefined);
    socket.on('message', (data, rinfo) => this.onDatagram(data, this.peers.peer(rinfo.address, rinfo.port)));
    this.socket = socket;
    return socket.address().port;
  }

  /**
   * Sends a datagram at the end of this turn of the event loop (udp-outbox.ts); `onError` hears of a
   * send the kernel refused (an unusable address, no route).
   */
  send(data: Buffer, to: string, port: number, onError?: SendFailureSink, onWire?: () => void): void {
    if (this.socket === undefined) {
      onError?.transportError();
      return;
    }
    this.outbox.push(data, port, this.dualStack && isIPv4(to) ? `::ffff:${to}` : to, onError, onWire);
  }

  close(): Promise<void> {
    this.outbox.flush(); // what this turn answered still leaves
    const s = this.socket;
    this.socket = undefined;
    return new Promise((resolve) => (s ? s.close(() => resolve()) : resolve()));
  }
}
