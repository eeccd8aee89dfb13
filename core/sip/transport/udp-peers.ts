// The Peer of each datagram's source, shared. Every datagram reports its source as a fresh string
// (rinfo.address), and the Peer built from it lingers as long as what keeps it: the server transaction
// and its response target, for 32 s (Timers J and L). At a few hundred calls a second that made ~100,000
// Peers and as many copies of "127.0.0.1". A lab talks to a handful of addresses: the last few thousand
// sources are remembered and their Peer handed out again. Peers are immutable (readonly fields, and
// nothing writes them), so one object can stand for every datagram from the same place.
import { unmapped, type Peer } from './peer';

/** Sources remembered before the cache starts over (a scan or a flood must not grow it). */
const LIMIT = 4096;

interface Address {
  /** The address as Peers carry it (IPv4 unmapped from ::ffff:a.b.c.d), one string for all ports. */
  readonly text: string;
  readonly ports: Map<number, Peer>;
}

export class UdpPeers {
  /** By the address as the socket reports it. */
  private readonly addresses = new Map<string, Address>();
  private size = 0;

  /** The Peer for a datagram from `address`:`port` (as rinfo gives them). */
  peer(address: string, port: number): Peer {
    let a = this.addresses.get(address);
    const known = a?.ports.get(port);
    if (known !== undefined) return known;
    if (this.size >= LIMIT) {
      this.addresses.clear();
      this.size = 0;
      a = undefined;
    }
    if (a === undefined) {
      a = { text: unmapped(address), ports: new Map() };
      this.addresses.set(address, a);
    }
    const peer: Peer = { transport: 'UDP', address: a.text, port };
    a.ports.set(port, peer);
    this.size++;
    return peer;
  }
}
