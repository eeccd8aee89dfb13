// RTCP compound packets (RFC 3550 §6): a sender report (SR, §6.4.1) while we send, else a receiver
// report (RR, §6.4.2), each with at most one reception report block, then SDES with our CNAME (§6.5,
// required in every compound packet) and, at the end of the call, BYE (§6.6).
import type { ReceiveStats } from './receive-stats';

export interface SenderInfo {
  /** Wall-clock ms since the Unix epoch (written as an NTP timestamp). */
  wallMs: number;
  rtpTimestamp: number;
  packets: number;
  octets: number;
}

const NTP_EPOCH_OFFSET_S = 2_208_988_800;

function ntp(ms: number): { hi: number; lo: number } {
  const seconds = Math.floor(ms / 1000);
  const fraction = Math.floor(((ms % 1000) / 1000) * 2 ** 32);
  return { hi: (seconds + NTP_EPOCH_OFFSET_S) >>> 0, lo: fraction >>> 0 };
}

/** The middle 32 bits of the NTP timestamp of the last SR received, and its arrival (for LSR/DLSR). */
export interface LastSr {
  middle: number;
  arrivalMs: number;
}

function reportBlock(stats: ReceiveStats, lastSr: LastSr | undefined, nowMs: number): Buffer {
  const b = stats.reportBlock();
  const out = Buffer.alloc(24);
  out.writeUInt32BE(b.ssrc >>> 0, 0);
  out.writeUInt32BE((((b.fractionLost & 0xff) << 24) | (b.cumulativeLost & 0xffffff)) >>> 0, 4);
  out.writeUInt32BE(b.extendedMax, 8);
  out.writeUInt32BE(b.jitter, 12);
  if (lastSr !== undefined) {
    out.writeUInt32BE(lastSr.middle >>> 0, 16);
    out.writeUInt32BE(Math.floor(((nowMs - lastSr.arrivalMs) / 1000) * 65536) >>> 0, 20);
  }
  return out;
}

function sdes(ssrc: number, cname: string): Buffer {
  const text = Buffer.from(cname, 'utf8').subarray(0, 255);
  // SSRC, CNAME item (type 1, length, text), END item, padded to 32 bits.
  const itemsLength = 4 + 2 + text.length + 1;
  const padded = Math.ceil(itemsLength / 4) * 4;
  const out = Buffer.alloc(4 + padded);
  out[0] = 0x81;
  out[1] = 202;
  out.writeUInt16BE(padded / 4, 2);
  out.writeUInt32BE(ssrc >>> 0, 4);
  out[8] = 1;
  out[9] = text.length;
  text.copy(out, 10);
  return out;
}

export interface ReportOptions {
  ssrc: number;
  cname: string;
  /** Present while we send: an SR; else an RR. */
  sender?: SenderInfo;
  /** The stream we receive, when any packet arrived. */
  received?: ReceiveStats;
  lastSr?: LastSr;
  nowMs: number;
  bye?: boolean;
}

/** One compound RTCP packet. */
export function rtcpReport(o: ReportOptions): Buffer {
  const blocks = o.received?.active ? [reportBlock(o.received, o.lastSr, o.nowMs)] : [];
  const parts: Buffer[] = [];
  if (o.sender !== undefined) {
    const head = Buffer.alloc(28);
    head[0] = 0x80 | blocks.length;
    head[1] = 200;
    head.writeUInt16BE((28 + blocks.length * 24) / 4 - 1, 2);
    head.writeUInt32BE(o.ssrc >>> 0, 4);
    const t = ntp(o.sender.wallMs);
    head.writeUInt32BE(t.hi, 8);
    head.writeUInt32BE(t.lo, 12);
    head.writeUInt32BE(o.sender.rtpTimestamp >>> 0, 16);
    head.writeUInt32BE(o.sender.packets >>> 0, 20);
    head.writeUInt32BE(o.sender.octets >>> 0, 24);
    parts.push(head, ...blocks);
  } else {
    const head = Buffer.alloc(8);
    head[0] = 0x80 | blocks.length;
    head[1] = 201;
    head.writeUInt16BE((8 + blocks.length * 24) / 4 - 1, 2);
    head.writeUInt32BE(o.ssrc >>> 0, 4);
    parts.push(head, ...blocks);
  }
  parts.push(sdes(o.ssrc, o.cname));
  if (o.bye) {
    const bye = Buffer.alloc(8);
    bye[0] = 0x81;
    bye[1] = 203;
    bye.writeUInt16BE(1, 2);
    bye.writeUInt32BE(o.ssrc >>> 0, 4);
    parts.push(bye);
  }
  return Buffer.concat(parts);
}

/** The LSR of an incoming compound packet's SR (RFC 3550 §6.4.1), if it starts with one. */
export function senderReportOf(buf: Buffer, arrivalMs: number): LastSr | undefined {
  if (buf.length < 28 || buf[0]! >> 6 !== 2 || buf[1] !== 200) return undefined;
  const middle = ((buf.readUInt32BE(8) & 0xffff) << 16) | (buf.readUInt32BE(12) >>> 16);
  return { middle: middle >>> 0, arrivalMs };
}
