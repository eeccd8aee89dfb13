// The UDP listener: one socket, large kernel buffers (bursts of thousands of datagrams per second
// overflow the defaults), every datagram handed up with its source.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Peer } from './peer';

export type DatagramHandler = (data: Buffer, source: Peer) => void;

export class UdpListener {
  private socket: Socket | undefined;

  constructor(private readonly onDatagram: DatagramHandler) {}

  /** Binds host:port (port 0 picks a free one); resolves with the bound port. */
  async bind(host: string, port: number, bufferBytes = 8 * 1024 * 1024): Promise<number> {
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
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
    socket.on('message', (data, rinfo) =>
      this.onDatagram(data, { transport: 'UDP', address: rinfo.address, port: rinfo.port }),
    );
    this.socket = socket;
    return socket.address().port;
  }

  /** Sends a datagram; `onError` hears of a send the kernel refused (an unusable address, no route). */
  send(data: Buffer, address: string, port: number, onError?: () => void): void {
    if (this.socket === undefined) {
      onError?.();
      return;
    }
    try {
      if (onError === undefined) this.socket.send(data, port, address);
      else this.socket.send(data, port, address, (err) => err && onError());
    } catch {
      onError?.(); // an address Node refuses outright
    }
  }

  close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    return new Promise((resolve) => (s ? s.close(() => resolve()) : resolve()));
  }
}
