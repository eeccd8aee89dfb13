// A standard pcap file (libpcap format, microsecond timestamps, LINKTYPE_ETHERNET) of traced messages:
// each message's real bytes and real time inside synthetic Ethernet, IPv4 or IPv6 (RFC 791, RFC 8200)
// and UDP (RFC 768) or TCP (RFC 9293) headers, so that `tshark -r f.pcap -Y sip` and Wireshark's Flow
// Sequence show the messages in order, between the right addresses and ports. TCP messages become
// PSH/ACK segments numbered per direction of each connection (no handshake: the trace has none).
import { addressPair } from '../sip/transport/ip-bytes';

export interface PcapEndpoint {
  address: string;
  port: number;
}

export interface PcapPacket {
  /** Microseconds since the epoch. */
  timeUs: number;
  transport: 'UDP' | 'TCP';
  src: PcapEndpoint;
  dst: PcapEndpoint;
  data: Buffer;
}

const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 262_144;
/** Largest TCP payload put in one synthetic segment (keeps the IP total length within 16 bits). */
const MAX_SEGMENT = 32_768;

/** The Internet checksum (RFC 1071) over the given parts, each of even length except maybe the last. */
function checksum(parts: Buffer[]): number {
  let sum = 0;
  for (const p of parts) {
    let i = 0;
    for (; i + 1 < p.length; i += 2) sum += (p[i]! << 8) | p[i + 1]!;
    if (i < p.length) sum += p[i]! << 8;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** A locally administered MAC address made from the IP address's last 4 bytes. */
function mac(ip: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x02, 0x00]), ip.subarray(ip.length - 4)]);
}

export class PcapWriter {
  private readonly chunks: Buffer[] = [];
  private ipId = 1;
  /** Next TCP sequence number per direction of a connection. */
  private readonly seqs = new Map<string, number>();

  constructor() {
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0); // microsecond timestamps
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeInt32LE(0, 8);
    h.writeUInt32LE(0, 12);
    h.writeUInt32LE(SNAPLEN, 16);
    h.writeUInt32LE(LINKTYPE_ETHERNET, 20);
    this.chunks.push(h);
  }

  add(p: PcapPacket): void {
    if (p.transport === 'UDP') {
      this.frame(p, 17, this.udp(p, p.data));
      return;
    }
    for (let off = 0; off < p.data.length || off === 0; off += MAX_SEGMENT) {
      this.frame(p, 6, this.tcp(p, p.data.subarray(off, off + MAX_SEGMENT)));
      if (p.data.length === 0) break;
    }
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** The bytes added since the last take (the file's header first): a pcap written a part at a time. */
  take(): Buffer {
    const part = Buffer.concat(this.chunks);
    this.chunks.length = 0;
    return part;
  }

  private udp(p: PcapPacket, payload: Buffer): (pseudo: Buffer) => Buffer {
    return (pseudo) => {
      const h = Buffer.alloc(8);
      h.writeUInt16BE(p.src.port, 0);
      h.writeUInt16BE(p.dst.port, 2);
      h.writeUInt16BE((8 + payload.length) & 0xffff, 4);
      const sum = checksum([pseudo, h, payload]);
      h.writeUInt16BE(sum === 0 ? 0xffff : sum, 6);
      return Buffer.concat([h, payload]);
    };
  }

  private tcp(p: PcapPacket, payload: Buffer): (pseudo: Buffer) => Buffer {
    const flow = `${p.src.address}|${p.src.port}|${p.dst.address}|${p.dst.port}`;
    const back = `${p.dst.address}|${p.dst.port}|${p.src.address}|${p.src.port}`;
    const seq = this.seqs.get(flow) ?? 1;
    this.seqs.set(flow, (seq + payload.length) >>> 0);
    const ack = this.seqs.get(back) ?? 1;
    return (pseudo) => {
      const h = Buffer.alloc(20);
      h.writeUInt16BE(p.src.port, 0);
      h.writeUInt16BE(p.dst.port, 2);
      h.writeUInt32BE(seq >>> 0, 4);
      h.writeUInt32BE(ack >>> 0, 8);
      h[12] = 5 << 4;
      h[13] = 0x18; // PSH, ACK
      h.writeUInt16BE(0xffff, 14);
      h.writeUInt16BE(checksum([pseudo, h, payload]), 16);
      return Buffer.concat([h, payload]);
    };
  }

  /** Ethernet + IP around a transport segment; `segment` gets the checksum pseudo-header. */
  private frame(p: PcapPacket, proto: number, segment: (pseudo: Buffer) => Buffer): void {
    const { v6, src: s, dst: d } = addressPair(p.src.address, p.dst.address);
    let ip: Buffer;
    let body: Buffer;
    if (!v6) {
      const pseudo = Buffer.alloc(12);
      s.copy(pseudo, 0);
      d.copy(pseudo, 4);
      pseudo[9] = proto;
      body = segment(pseudo.fill(0, 10, 12));
      pseudo.writeUInt16BE(body.length & 0xffff, 10);
      body = segment(pseudo);
      ip = Buffer.alloc(20);
      ip[0] = 0x45;
      ip.writeUInt16BE(Math.min(20 + body.length, 0xffff), 2);
      ip.writeUInt16BE(this.ipId++ & 0xffff, 4);
      ip.writeUInt16BE(0x4000, 6); // don't fragment
      ip[8] = 64;
      ip[9] = proto;
      s.copy(ip, 12);
      d.copy(ip, 16);
      ip.writeUInt16BE(checksum([ip]), 10);
    } else {
      const pseudo = Buffer.alloc(40);
      s.copy(pseudo, 0);
      d.copy(pseudo, 16);
      pseudo[39] = proto;
      body = segment(pseudo);
      pseudo.writeUInt32BE(body.length, 32);
      body = segment(pseudo);
      ip = Buffer.alloc(40);
      ip.writeUInt32BE(0x60000000, 0);
      ip.writeUInt16BE(body.length & 0xffff, 4);
      ip[6] = proto;
      ip[7] = 64;
      s.copy(ip, 8);
      d.copy(ip, 24);
    }
    const eth = Buffer.alloc(14);
    mac(d).copy(eth, 0);
    mac(s).copy(eth, 6);
    eth.writeUInt16BE(v6 ? 0x86dd : 0x0800, 12);
    const frameLength = 14 + ip.length + body.length;
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(p.timeUs / 1e6), 0);
    rec.writeUInt32LE(p.timeUs % 1e6, 4);
    rec.writeUInt32LE(frameLength, 8);
    rec.writeUInt32LE(frameLength, 12);
    this.chunks.push(rec, eth, ip, body);
  }
}

/** A whole pcap file of these packets, in the order given. */
export function pcapFile(packets: Iterable<PcapPacket>): Buffer {
  const w = new PcapWriter();
  for (const p of packets) w.add(p);
  return w.toBuffer();
}
