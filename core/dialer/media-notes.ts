// What a dialer call's result notes about its media beyond the figures: RTP sent where the far end's
// came from rather than where its SDP said (symmetric RTP through a NAT, RFC 4961), and packets the
// network refused (no route to a NATed phone's private address), which are not counted as sent, and RTP
// from another source than the far end's (another host, a fork we ended), which is not counted received;
// DTMF digits that never went (a hold pushed them past the media's end, RFC 4733 events are never cut);
// an answer's a=ptime the dialer does not send with (20 ms packets went instead).
import type { MediaSummary } from '../media/rtp-session';

const LATCHED = /^RTP sent to (\S+), where the far end's came from \(its SDP said (\S+)\)$/;
const REFUSED = /^(\d+) RTP packets refused by the network \((\S+)\)$/;
const OTHER_FAMILY = /^no RTP sent: the answer's address (\S+) is (IPv[46]), the dialer's (IPv[46])$/;
const DTMF_NOT_SENT = /^DTMF (\S+) not sent before the media ended$/;
const PTIME_REFUSED =
  /^the answer's ptime (\S+) ms is not one the dialer sends G\.711 with \(10-60 ms in steps of 10\): 20 ms packets sent$/;
const ELSEWHERE =
  /^(\d+) RTP packets from another source than the far end's not counted \(the last from (\S+)\)$/;

/** The notes a call's media calls for, in English (DSP DIALSVC, the log, the console). */
export function mediaNotes(m: MediaSummary | undefined): string[] {
  const notes: string[] = [];
  if (m?.latched !== undefined)
    notes.push(`RTP sent to ${m.latched.to}, where the far end's came from (its SDP said ${m.latched.sdp})`);
  if ((m?.sent.refused ?? 0) > 0)
    notes.push(`${m!.sent.refused} RTP packets refused by the network (${m!.sent.refusedWhy ?? 'error'})`);
  if (m?.elsewhere !== undefined)
    notes.push(
      `${m.elsewhere.packets} RTP packets from another source than the far end's not counted (the last from ${m.elsewhere.from})`,
    );
  const f = m?.sent.otherFamily;
  // RFC 3264 §6: an answer's address of another family than the offer's cannot be reached from our sockets.
  if (f !== undefined && m!.sent.packets === 0)
    notes.push(
      `no RTP sent: the answer's address ${f.address} is ${f.ours === 'IPv4' ? 'IPv6' : 'IPv4'}, the dialer's ${f.ours}`,
    );
  if (m?.sent.dtmfNotSent !== undefined)
    notes.push(`DTMF ${m.sent.dtmfNotSent} not sent before the media ended`);
  // RFC 3264 §6.1: the far end asked for packets of a length we do not send (media-answer.ts packetTime).
  if (m?.sent.ptimeRefused !== undefined)
    notes.push(
      `the answer's ptime ${m.sent.ptimeRefused} ms is not one the dialer sends G.711 with (10-60 ms in steps of 10): 20 ms packets sent`,
    );
  return notes;
}

/** A media note in Chinese, or undefined when the text is none of them. */
export function zhMediaNote(text: string): string | undefined {
  const l = LATCHED.exec(text);
  if (l !== null) return `RTP 发往 ${l[1]}，即对端 RTP 的来源（其 SDP 为 ${l[2]}）`;
  const r = REFUSED.exec(text);
  if (r !== null) return `${r[1]} 个 RTP 包被网络拒绝（${r[2]}）`;
  const e = ELSEWHERE.exec(text);
  if (e !== null) return `${e[1]} 个来自对端以外来源的 RTP 包未计入（最后一个来自 ${e[2]}）`;
  const o = OTHER_FAMILY.exec(text);
  if (o !== null) return `未发送 RTP: 应答的地址 ${o[1]} 为 ${o[2]}，外呼端为 ${o[3]}`;
  const d = DTMF_NOT_SENT.exec(text);
  if (d !== null) return `DTMF ${d[1]} 在媒体结束前未发送`;
  const p = PTIME_REFUSED.exec(text);
  if (p !== null)
    return `应答的 ptime ${p[1]} ms 不是外呼端发送 G.711 所用的包长（10-60 ms，以 10 为步长）: 已按 20 ms 发包`;
  return undefined;
}
