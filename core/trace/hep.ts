// HEP version 3 (the Homer Encapsulation Protocol that Homer/sipcapture and heplify-server ingest):
// every traced message, with its addresses, ports, time and raw bytes, as one UDP datagram to the
// collector in TRACE.HEP_COLLECTOR. Chunk types from the HEP3 specification (sipcapture/HEP, vendor 0).
import { createSocket, type Socket } from 'node:dgram';
import { isIP, isIPv6 } from 'node:net';
import { systemLookup, usableAddress, type HostLookup } from '../sip/transport/host-addresses';
import { addressPair } from '../sip/transport/ip-bytes';
import type { PcapPacket } from './pcap';

const CHUNK = {
  ipFamily: 1,
  ipProtocol: 2,
  ipv4Src: 3,
  ipv4Dst: 4,
  ipv6Src: 5,
  ipv6Dst: 6,
  srcPort: 7,
  dstPort: 8,
  timeSeconds: 9,
  timeMicros: 10,
  protocolType: 11,
  captureId: 12,
  authKey: 14,
  payload: 15,
  correlationId: 17,
} as const;

const PROTOCOL_SIP = 1;
const AF_INET = 2;
const AF_INET6 = 10;

function chunk(type: number, value: Buffer): Buffer {
  const h = Buffer.alloc(6);
  h.writeUInt16BE(0, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt16BE(6 + value.length, 4);
  return Buffer.concat([h, value]);
}

const u8 = (n: number): Buffer => Buffer.from([n & 0xff]);
const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n & 0xffff);
  return b;
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

export interface HepOptions {
  captureId: number;
  /** Homer's auth key, when the collector wants one. */
  authKey?: string;
}

/** One HEP3 packet for a traced message; `correlation` (the Call-ID) links it in Homer. */
export function hepPacket(p: PcapPacket, options: HepOptions, correlation?: string): Buffer {
  const ends = addressPair(p.src.address, p.dst.address);
  const four = !ends.v6;
  const chunks = [
    chunk(CHUNK.ipFamily, u8(four ? AF_INET : AF_INET6)),
    chunk(CHUNK.ipProtocol, u8(p.transport === 'UDP' ? 17 : 6)),
    chunk(four ? CHUNK.ipv4Src : CHUNK.ipv6Src, ends.src),
    chunk(four ? CHUNK.ipv4Dst : CHUNK.ipv6Dst, ends.dst),
    chunk(CHUNK.srcPort, u16(p.src.port)),
    chunk(CHUNK.dstPort, u16(p.dst.port)),
    chunk(CHUNK.timeSeconds, u32(Math.floor(p.timeUs / 1e6))),
    chunk(CHUNK.timeMicros, u32(p.timeUs % 1e6)),
    chunk(CHUNK.protocolType, u8(PROTOCOL_SIP)),
    chunk(CHUNK.captureId, u32(options.captureId)),
  ];
  if (options.authKey) chunks.push(chunk(CHUNK.authKey, Buffer.from(options.authKey, 'utf8')));
  // The Call-ID as the trace holds it (trace-message.ts fieldsFor: text, ASCII unless the message did not
  // parse): the same bytes for every message of that Call-ID, which is what Homer links them by.
  if (correlation) chunks.push(chunk(CHUNK.correlationId, Buffer.from(correlation, 'utf8')));
  chunks.push(chunk(CHUNK.payload, p.data));
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(6);
  head.write('HEP3', 0, 'latin1');
  head.writeUInt16BE(6 + body.length, 4);
  return Buffer.concat([head, body]);
}

/** "host:port" or "[v6]:port" → its parts; throws naming the fault. */
export function parseCollector(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || !(port >= 1 && port <= 65535))
    throw new Error(`expected host:port, got ${JSON.stringify(text)}`);
  return { host: (m[1] ?? m[2])!, port };
}

/** The largest UDP payload over IPv4 (65,535 less the IP and UDP headers). */
const MAX_DATAGRAM = 65_507;

/** Packets kept while a collector's name is looked up; more are counted lost. */
const MAX_WAITING = 1000;
/** After a failed lookup, how long packets are counted lost before the name is looked up again. */
export const RELOOKUP_MS = 30_000;

/**
 * Sends HEP packets to one collector over UDP; losses are counted and told (`onFailure`), never fatal. A
 * collector given by name is looked up once (Node's dgram looked it up for every datagram, on libuv's
 * thread pool, and the packets left in any order: 131 of 12,800 out of order at 80 calls/s), the packets
 * of the meantime kept in order; a name that does not resolve is tried again every RELOOKUP_MS. A name
 * with an IPv4 and an IPv6 address (`localhost` on a stock Debian /etc/hosts) is sent to the IPv4 one:
 * getaddrinfo's first, ::1, lost every packet for a collector listening on IPv4 (heplify-server's
 * default), counted sent; an IPv6-only name still gets IPv6.
 */
export class HepSender {
  private socket: Socket | undefined;
  /** The collector's address once known (its host when that is an address). */
  private address: string | undefined;
  private waiting: { packet: Buffer; correlation: string | undefined }[] = [];
  private lookingUp = false;
  private lookupFailedAt = -Infinity;
  private closed = false;
  sent = 0;
  failed = 0;

  constructor(
    private readonly collector: { host: string; port: number },
    private readonly options: HepOptions,
    /** Told of each packet lost: why, and its Call-ID when it has one. */
    private readonly onFailure?: (why: string, callId: string | undefined) => void,
    private readonly now: () => number = Date.now,
    /** How the collector's name becomes addresses (the system resolver, or a test's). */
    private readonly lookupHost: HostLookup = systemLookup,
  ) {
    if (isIP(collector.host) !== 0) this.open(collector.host);
    else this.lookUp();
  }

  send(p: PcapPacket, correlation?: string): void {
    if (this.closed) return;
    // A message near SIP's 64 KB limit does not fit in one HEP packet (its length is 16 bits) or one
    // datagram, with the HEP chunks around it.
    let packet: Buffer | undefined;
    try {
      packet = hepPacket(p, this.options, correlation);
    } catch {
      packet = undefined;
    }
    if (packet === undefined || packet.length > MAX_DATAGRAM) {
      this.fail(`a message of ${p.data.length} bytes, more than one HEP packet holds`, correlation);
      return;
    }
    if (this.address !== undefined) {
      this.transmit(packet, correlation);
      return;
    }
    if (!this.lookingUp && this.now() - this.lookupFailedAt >= RELOOKUP_MS) this.lookUp();
    if (this.lookingUp && this.waiting.length < MAX_WAITING) this.waiting.push({ packet, correlation });
    else this.fail(`${this.collector.host} is not known (no address for the name)`, correlation);
  }

  private lookUp(): void {
    this.lookingUp = true;
    const host = this.collector.host;
    this.lookupHost(host)
      // IPv4 first when the name has both; the socket is then made of the family of the one taken.
      .then((found) => usableAddress(host, found, [4, 6]))
      .then(
        (address) => {
          this.lookingUp = false;
          if (this.closed) return;
          const waiting = this.waiting;
          this.waiting = [];
          this.open(address);
          for (const w of waiting) this.transmit(w.packet, w.correlation);
        },
        (err: Error) => {
          this.lookingUp = false;
          if (this.closed) return;
          const waiting = this.waiting;
          this.waiting = [];
          this.lookupFailedAt = this.now();
          for (const w of waiting) this.fail(`${host}: ${err.message}`, w.correlation);
        },
      );
  }

  private open(address: string): void {
    this.address = address;
    this.socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    this.socket.on('error', (err) => this.fail(err.message, undefined));
    this.socket.unref();
  }

  private transmit(packet: Buffer, correlation: string | undefined): void {
    try {
      this.socket!.send(packet, this.collector.port, this.address, (err) => {
        if (err) this.fail(this.named(err.message), correlation);
        else this.sent++;
      });
    } catch (err) {
      this.fail(this.named((err as Error).message), correlation);
    }
  }

  /** A send's failure, with the collector's name and the address it was sent to when it is a name. */
  private named(why: string): string {
    const host = this.collector.host;
    return host === this.address ? why : `${host} (${this.address}): ${why}`;
  }

  private fail(why: string, callId: string | undefined): void {
    this.failed++;
    this.onFailure?.(why, callId);
  }

  close(): void {
    this.closed = true;
    this.waiting = [];
    this.socket?.close();
    this.socket = undefined;
  }
}
