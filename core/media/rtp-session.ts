// One call's media (RFC 3550): sends the prompt as G.711 packets on the media clock (random SSRC,
// initial sequence number and timestamp, marker on the first packet, §5.1), 20 ms each or the answer's
// a=ptime (RFC 3264 §6.1: the interval the far end wants to receive; a later offer or answer of the
// call, a re-INVITE's, changes it from the next packet on, RFC 3264 §8), loops it until the
// duration ends (duration 0: the file once), puts RFC 4733 DTMF events in the audio's place when asked,
// counts what arrives (receive-stats.ts), sends RTCP reports about every 5 s (§6.2, each interval drawn
// anew, §6.3.1) and a BYE at the end,
// and can record what the far end sends. close() releases both ports whatever state it is in.
import { randomBytes } from 'node:crypto';
import type { RemoteInfo } from 'node:dgram';
import { decodeG711, type G711Law } from './g711';
import type { MediaClock, PacedStream } from './media-clock';
import { PacketSchedule, PACKET_MS } from './packet-schedule';
import type { RtpPortPool, RtpSockets } from './port-pool';
import { ReceiveStats, type ReceiveSummary } from './receive-stats';
import { RecordingFile } from './recording-file';
import { rtcpReport, senderReportOf, type LastSr } from './rtcp';
import { parseRtp, rtpPacket, type ParsedRtp } from './rtp-packet';
import { dtmfPackets, dtmfSlots, type DtmfSlot } from './dtmf';
import { addressPort } from '../address-port';

/** Samples in a 20 ms packet (8 kHz), the default; a packet of p ms holds 8 × p. */
export const SAMPLES_PER_PACKET = 160;
/** The nominal RTCP report interval (RFC 3550 §6.2: 5 s at least between one participant's reports). */
const RTCP_INTERVAL_MS = 5000;

/**
 * The time to the next RTCP report: the nominal interval times a number drawn evenly from [0.5, 1.5]
 * (RFC 3550 §6.3.1, §6.2: so that the reports of many sessions started together do not stay in step).
 * `random` is in [0, 1), as Math.random.
 */
export function rtcpIntervalMs(random: () => number): number {
  return RTCP_INTERVAL_MS * (0.5 + random());
}

/** Runs `run` in `ms` (a timer that keeps no process alive); returns what cancels it. */
function after(ms: number, run: () => void): () => void {
  const t = setTimeout(run, ms);
  t.unref();
  return () => clearTimeout(t);
}

export interface RtpSessionOptions {
  cname: string;
  record: boolean;
  /** For tests: the draw behind each RTCP interval (Math.random) and the timer it is waited on. */
  random?: () => number;
  after?: (ms: number, run: () => void) => () => void;
}

/** A timestamp jump the recording takes as a new start rather than as silence: 10 s at 8 kHz. */
const MAX_JUMP = 10 * 8000;
/** When DTMF starts, from the media's start (ms): 1 s, the IVR has answered and listens. */
export const DTMF_START_MS = 1000;

/** The packet DTMF starts at, in packets of `ptimeMs`: the first at or after DTMF_START_MS. */
const dtmfStartPacket = (ptimeMs: number): number => Math.ceil(DTMF_START_MS / ptimeMs);
/** Where DTMF starts on the stream's timeline, in samples (8 kHz): its first packet at or after this. */
const DTMF_START_SAMPLES = 8 * DTMF_START_MS;

/**
 * When, from the media's start, the last event packet of `digits` has gone (ms): 1 s + 200 ms a digit in
 * 20 ms packets (other packet times round a digit's tone and pause to whole packets, dtmf.ts).
 */
export function dtmfEndMs(digits: string, ptimeMs = PACKET_MS): number {
  const slots = dtmfSlots(digits, ptimeMs).length;
  // The pause after the last digit is no part of it.
  return (dtmfStartPacket(ptimeMs) + Math.max(0, slots - dtmfPackets(ptimeMs).gap)) * ptimeMs;
}

export interface MediaPlan {
  remote: { address: string; port: number };
  payloadType: number;
  law: G711Law;
  /** The whole prompt encoded in the negotiated law. */
  audio: Buffer;
  /** How long to send; 0: the prompt once. */
  durationMs: number;
  /** Digits to send as RFC 4733 events, and the negotiated telephone-event payload type. */
  dtmf?: { digits: string; payloadType: number };
  /** The packetization interval (ms, a multiple of 10 up to 60; RFC 3264 §6.1 a=ptime); 20 when not given. */
  ptimeMs?: number;
  /** The answer's a=ptime as written, when it was not one to send with (20 ms went instead). */
  ptimeRefused?: string;
  /** The far end's a=rtcp (RFC 3605): its RTCP port, and address when given; else RTP port + 1. */
  rtcp?: { port: number; address?: string };
}

export interface SendSummary {
  /** Packets the kernel took (a send it refused, ENETUNREACH to a private address, is not counted). */
  packets: number;
  octets: number;
  dtmfPackets: number;
  /** Sends the kernel refused, and why the last one was (e.g. ENETUNREACH). */
  refused?: number;
  refusedWhy?: string;
  /** The far end's address, of the other family than our sockets' (nothing can be sent to it). */
  otherFamily?: { address: string; ours: 'IPv4' | 'IPv6' };
  /** DTMF digits asked for that never went (the media ended, or the far end stopped taking events, first). */
  dtmfNotSent?: string;
  /** The answer's a=ptime, as written, that was not one to send with (20 ms packets went instead). */
  ptimeRefused?: string;
}

export interface MediaSummary {
  sent: SendSummary;
  received: ReceiveSummary;
  /**
   * Symmetric RTP (RFC 4961): the far end's packets came from another address than its SDP named (a
   * NAT), and ours went there from then on: the SDP's address and where they went.
   */
  latched?: { sdp: string; to: string };
  /**
   * RTP that came from neither the far end's SDP address nor where we latched (another host, a fork we
   * did not take): not counted as received; how many packets and the last one's source.
   */
  elsewhere?: { packets: number; from: string };
}

interface Remote {
  address: string;
  port: number;
}

/**
 * An address nothing can be sent to: 0.0.0.0 (RFC 2543's hold, RFC 3264 §8.4: "it doesn't allow for RTCP
 * to be used with held streams") or IPv6's ::. Linux delivers a datagram sent there to this host.
 */
const unspecified = (address: string): boolean => address === '0.0.0.0' || /^[0:]+$/.test(address);

/** address:port, an IPv6 address in brackets. */
const hostPort = (r: Remote): string => addressPort(r.address, r.port);

function random32(): number {
  return randomBytes(4).readUInt32BE(0);
}

export class RtpSession implements PacedStream {
  readonly stats = new ReceiveStats(8000);
  readonly ssrc = random32();
  private schedule: PacketSchedule | undefined;
  private plan: MediaPlan | undefined;
  private seq = random32() & 0xffff;
  private readonly ts0 = random32();
  private sent: SendSummary = { packets: 0, octets: 0, dtmfPackets: 0 };
  /** The digits still to send (RFC 4733 events), in order. */
  private digits: string[] = [];
  /** The digit being sent: its slots, the next one's index, and the sample its event started at. */
  private event: { digit: string; slots: DtmfSlot[]; next: number; startAt: number } | undefined;
  private held = false;
  /** Sending resumed after a hold: the next audio packet starts a talkspurt (marker, RFC 3551 §4.1). */
  private talkspurt = false;
  /** Cancels the next RTCP report's timer. */
  private cancelRtcp: (() => void) | undefined;
  private lastSr: LastSr | undefined;
  /** What the far end sent (RECORD=YES), each payload at its place on the stream's timeline (recordAt). */
  readonly recording: RecordingFile | undefined;
  /** The RTP timestamp of the recording's first sample, and the stream (SSRC) it belongs to. */
  private recordBase: { ssrc: number; timestamp: number } | undefined;
  /** Samples the recording spans so far. */
  private recordEnd = 0;
  private closed = false;
  /** RFC 4961: the far end's RTP came from elsewhere than its SDP said (sdp), and ours goes there (to). */
  private latched: { sdp: Remote; to: Remote } | undefined;
  /** The far end's SDP address has sent RTP: its packets are the call's, nothing latches any more. */
  private sdpHeard = false;
  /** Packets from another source than the far end's (not counted), and the last one's source. */
  private elsewhere: { packets: number; from: Remote } | undefined;
  /** Sources whose RTP is not the call's (the SDP addresses of forks we ended, ignore()). */
  private readonly ignored = new Set<string>();
  /** Where RTCP goes once the far end's came from elsewhere than its SDP said (its own NAT mapping). */
  private rtcpRemote: { address: string; port: number } | undefined;
  /** The last packet has played out. */
  private played = false;
  private silence = 0xff;
  /** Samples a packet (8 × the packetization interval in ms, RFC 3551 §4.5: G.711 is one octet a sample). */
  private samples = SAMPLES_PER_PACKET;
  /**
   * The stream's sample (from its start, 8 kHz) at the schedule's packet 0: 0, until a new a=ptime
   * starts a schedule of its own at the packet then next (setPtime). Packet n of the schedule carries
   * the stream's samples from base + n × samples on: its RTP timestamp and its place in the prompt.
   */
  private base = 0;
  /** A packet length (ms) a later offer or answer asked for, taken up at the next packet (takePtime). */
  private ptimeAsked: number | undefined;
  /** DTMF tone length in packets (dtmf.ts, at this packetization). */
  private dtmfTone = dtmfPackets(PACKET_MS).tone;
  /** Called once when the schedule's last packet has played out (one interval after it was sent). */
  onFinished: (() => void) | undefined;
  /** Each packet's send time minus its ideal time (ms), for the benchmark. */
  onSendLateness: ((ms: number) => void) | undefined;

  /** The sockets' address family: a far end of the other one cannot be reached from them. */
  private readonly v6: boolean;

  constructor(
    private readonly sockets: RtpSockets,
    private readonly pool: RtpPortPool,
    private readonly clock: MediaClock,
    private readonly options: RtpSessionOptions,
  ) {
    this.v6 = sockets.rtp.address().family === 'IPv6';
    this.recording = options.record ? new RecordingFile() : undefined;
    sockets.rtp.on('message', (buf: Buffer, from: RemoteInfo) => this.onRtp(buf, from));
    sockets.rtcp.on('message', (buf: Buffer, from: RemoteInfo) => {
      const sr = senderReportOf(buf, this.clock.now());
      this.lastSr = sr ?? this.lastSr;
      if (sr !== undefined && this.latched !== undefined && from.address === this.latched.to.address)
        this.rtcpRemote = { address: from.address, port: from.port };
    });
    // An ICMP "port unreachable" on a connected path or a send error must not take the process down.
    sockets.rtp.on('error', () => undefined);
    sockets.rtcp.on('error', () => undefined);
  }

  get port(): number {
    return this.sockets.port;
  }

  get sending(): boolean {
    return this.schedule !== undefined && !this.schedule.done;
  }

  get nextAt(): number {
    const s = this.schedule;
    if (this.closed || s === undefined) return Infinity;
    // Once the last packet has gone, its interval is still to play: the end is due then.
    return s.done ? (this.played ? Infinity : s.timeOf(s.total)) : s.nextAt;
  }

  /**
   * Starts sending (on the answer), in packets of the plan's ptime for the whole stream. Starting twice
   * (a re-INVITE) only changes the destination.
   */
  start(plan: MediaPlan): void {
    if (this.closed) return;
    if (this.plan !== undefined) {
      this.plan = { ...this.plan, remote: this.remoteFor(plan.remote) };
      return;
    }
    this.plan = plan;
    this.silence = plan.law === 'PCMU' ? 0xff : 0xd5;
    const ptime = plan.ptimeMs ?? PACKET_MS;
    this.samples = 8 * ptime;
    this.dtmfTone = dtmfPackets(ptime).tone;
    if (plan.ptimeRefused !== undefined) this.sent.ptimeRefused = plan.ptimeRefused;
    // DURATION in whole packets (one at least): the media ends within half a packet of it.
    const total =
      plan.durationMs > 0
        ? Math.max(1, Math.round(plan.durationMs / ptime))
        : Math.max(1, Math.ceil(plan.audio.length / this.samples));
    this.schedule = new PacketSchedule(this.clock.startTime(), total, ptime);
    if (plan.dtmf !== undefined) this.digits = [...plan.dtmf.digits.toUpperCase()];
    this.clock.add(this);
    this.nextRtcp();
  }

  /** Waits a new random interval (rtcpIntervalMs) for the next report, then sends it and waits again. */
  private nextRtcp(): void {
    const wait = this.options.after ?? after;
    this.cancelRtcp = wait(rtcpIntervalMs(this.options.random ?? Math.random), () => {
      if (this.closed) return;
      try {
        this.sendRtcp(false);
      } catch {
        // A report that cannot be built or sent is skipped; the next one follows all the same.
      }
      this.nextRtcp();
    });
  }

  /**
   * The far end put us on hold (its SDP says it does not receive): no packets while so (RFC 3264 §6.1).
   * A DTMF event under way is ended first (RFC 4733 §2.5.1.4: its end packet, three times), and the
   * digits after it wait for the resume.
   */
  hold(on: boolean): void {
    if (on && !this.held) this.endEvent();
    if (!on && this.held) this.talkspurt = true;
    this.held = on;
  }

  /**
   * Ends the DTMF event under way at once, if its end has not gone: its last duration with the E bit, as
   * many times as make three end packets (RFC 4733 §2.5.1.4); the pause after it follows as usual.
   */
  private endEvent(): void {
    const e = this.event;
    const plan = this.plan;
    if (e === undefined || plan?.dtmf === undefined || this.closed) return;
    const tone = this.dtmfTone;
    const ends = tone + 2; // the slots up to the end's last repeat
    if (e.next === 0 || e.next >= ends) return;
    const last = e.slots[Math.min(e.next, tone) - 1]!.payload!;
    const end = Buffer.from(last);
    end[1] = end[1]! | 0x80;
    const already = Math.max(0, e.next - (tone - 1));
    for (let r = already; r < 3; r++)
      this.sendRtp(this.eventPacket(e.startAt, false, end, plan.dtmf.payloadType), true);
    e.next = ends;
  }

  /**
   * A new offer/answer in the call (a re-INVITE, or the answer in its ACK; RFC 3264 §8): where to send
   * and, as §8.3.2 allows the codec to change, in which format from now on; the stream goes on from
   * where it is, the prompt encoded in the new law (`audioFor`) when the law changed. Digits still due
   * go as events only if the new SDP has telephone-event, with its payload type. Its a=ptime (as the
   * answer's, RFC 3264 §6.1: 20 ms when it gives none) sets the packets' length from the next packet on.
   */
  retarget(
    media: {
      remote: { address: string; port: number };
      payloadType: number;
      law: G711Law;
      telephoneEvent?: number;
      rtcp?: { port: number; address?: string };
      ptimeMs?: number;
      ptimeRefused?: string;
    },
    audioFor: (law: G711Law) => Buffer,
  ): void {
    const plan = this.plan;
    if (plan === undefined) return;
    if (media.ptimeMs !== undefined) {
      this.ptimeAsked = media.ptimeMs;
      if (media.ptimeRefused !== undefined) this.sent.ptimeRefused = media.ptimeRefused;
    }
    if (media.telephoneEvent === undefined) this.endEvent();
    const dtmf =
      plan.dtmf !== undefined && media.telephoneEvent !== undefined
        ? { ...plan.dtmf, payloadType: media.telephoneEvent }
        : undefined;
    // An old-style hold (c=0.0.0.0, RFC 3264 §8.4) names no address: the stream stays where it was, so
    // that its RTCP (reports, the BYE at the end) goes on to the far end's last usable address.
    const held = unspecified(media.remote.address);
    this.plan = {
      ...plan,
      remote: held ? plan.remote : this.remoteFor(media.remote),
      payloadType: media.payloadType,
      law: media.law,
      audio: media.law === plan.law ? plan.audio : audioFor(media.law),
      dtmf,
      rtcp: held ? plan.rtcp : media.rtcp,
    };
    this.silence = media.law === 'PCMU' ? 0xff : 0xd5;
  }

  pump(now: number): void {
    if (this.schedule === undefined || this.plan === undefined || this.closed) return;
    for (;;) {
      this.takePtime();
      const s = this.schedule;
      if (s.due(now) === 0) break;
      const { first: n } = s.take(now, 1);
      this.onSendLateness?.(now - s.timeOf(n));
      this.sendPacket(n, this.plan);
    }
    const s = this.schedule;
    // The stream ends when its last packet's interval is over, not when it is sent: a BYE then gives the
    // far end DURATION of media, and the call's length is DURATION (not one packet short).
    if (s.done && now >= s.timeOf(s.total)) {
      this.played = true;
      this.clock.remove(this);
      const done = this.onFinished;
      this.onFinished = undefined;
      done?.();
    }
  }

  /**
   * A packet length asked for by a later offer or answer (RFC 3264 §8: it replaces the earlier one), taken
   * up from the next packet on: the rest of the stream is scheduled anew in packets of that length,
   * starting when the next packet was due, its timestamps and the prompt going on from where they are.
   * A DTMF event under way (and its pause) is finished first at the length it started with: an event's
   * packets go at one interval, its durations growing by one packet each (RFC 4733 §2.5.1.2).
   */
  private takePtime(): void {
    const ptime = this.ptimeAsked;
    const s = this.schedule;
    const plan = this.plan;
    if (ptime === undefined || s === undefined || plan === undefined) return;
    if (this.event !== undefined && this.event.next < this.event.slots.length) return;
    this.ptimeAsked = undefined;
    const samples = 8 * ptime;
    if (samples === this.samples || s.done) return;
    const at = this.base + s.sent * this.samples;
    // What is left of DURATION (or of the prompt played once), in whole packets of the new length.
    const left =
      plan.durationMs > 0
        ? Math.max(1, Math.round(((s.total - s.sent) * this.samples) / samples))
        : Math.max(1, Math.ceil((plan.audio.length - at) / samples));
    this.schedule = new PacketSchedule(s.timeOf(s.sent), left, ptime);
    this.base = at;
    this.samples = samples;
    this.dtmfTone = dtmfPackets(ptime).tone;
  }

  private sendPacket(n: number, plan: MediaPlan): void {
    if (this.held) return; // the stream's clock goes on: timestamps jump on resume, as after silence
    // An answer with an address of the other family (c=IN IP6 to our IPv4 offer): the kernel refuses
    // every send, so nothing is sent and nothing counted; the call's figures say no RTP went out.
    if (plan.remote.address.includes(':') !== this.v6) {
      this.sent.otherFamily = { address: plan.remote.address, ours: this.v6 ? 'IPv6' : 'IPv4' };
      return;
    }
    const slot = plan.dtmf === undefined ? undefined : this.dtmfSlot(n);
    if (slot?.payload !== undefined && plan.dtmf !== undefined) {
      this.sendRtp(
        this.eventPacket(this.event!.startAt, slot.start, slot.payload, plan.dtmf.payloadType),
        true,
      );
      return;
    }
    const packet = rtpPacket(
      {
        // RFC 3550 §5.1, RFC 3551 §4.1: the first packet, and the first after a silence (a hold).
        marker: this.at(n) === 0 || this.talkspurt,
        payloadType: plan.payloadType,
        sequence: this.seq,
        timestamp: this.ts0 + this.at(n),
        ssrc: this.ssrc,
      },
      this.chunk(n, plan.audio),
    );
    this.talkspurt = false;
    this.sendRtp(packet, false);
  }

  /** The stream's sample (from its start) that packet n of the schedule begins with. */
  private at(n: number): number {
    return this.base + n * this.samples;
  }

  /** An RFC 4733 event packet: the event's start timestamp, the next sequence number. */
  private eventPacket(startAt: number, marker: boolean, payload: Buffer, payloadType: number): Buffer {
    return rtpPacket(
      {
        marker,
        payloadType,
        sequence: this.seq,
        timestamp: this.ts0 + startAt,
        ssrc: this.ssrc,
      },
      payload,
    );
  }

  private sendRtp(packet: Buffer, dtmf: boolean): void {
    const plan = this.plan!;
    this.seq = (this.seq + 1) & 0xffff;
    this.sent.packets++;
    const octets = packet.length - 12;
    this.sent.octets += octets;
    if (dtmf) this.sent.dtmfPackets++;
    this.sockets.rtp.send(packet, plan.remote.port, plan.remote.address, (err) => {
      if (err === null || err === undefined) return;
      // Refused by the kernel (no route to a NATed phone's private address): not sent, so not counted.
      this.sent.packets--;
      this.sent.octets -= octets;
      if (dtmf) this.sent.dtmfPackets--;
      this.sent.refused = (this.sent.refused ?? 0) + 1;
      this.sent.refusedWhy = (err as NodeJS.ErrnoException).code ?? err.message;
    });
  }

  /**
   * The DTMF slot of packet n (sent): the next of the digit under way, or the first of the next digit
   * once DTMF has started (1 s in); undefined when none is due. A digit held back (hold) goes later.
   */
  private dtmfSlot(n: number): DtmfSlot | undefined {
    let e = this.event;
    if (e !== undefined && e.next >= e.slots.length) e = this.event = undefined;
    if (e === undefined) {
      const digit = this.at(n) >= DTMF_START_SAMPLES ? this.digits.shift() : undefined;
      if (digit === undefined) return undefined;
      e = this.event = { digit, slots: dtmfSlots(digit, this.samples / 8), next: 0, startAt: this.at(n) };
    }
    return e.slots[e.next++];
  }

  /** The n-th packet's samples of the prompt, looping; silence pads the end of a prompt played once. */
  private chunk(n: number, audio: Buffer): Buffer {
    const size = this.samples;
    const out = Buffer.allocUnsafe(size);
    let at = this.at(n) % Math.max(1, audio.length);
    const once = this.plan!.durationMs === 0;
    for (let i = 0; i < size; i++) {
      if (at >= audio.length) {
        if (once || audio.length === 0) {
          out.fill(this.silence, i);
          break;
        }
        at = 0;
      }
      out[i] = audio[at++]!;
    }
    return out;
  }

  private onRtp(buf: Buffer, from: RemoteInfo): void {
    const p = parseRtp(buf);
    if (p === undefined) return;
    if (!this.fromFarEnd(from)) {
      this.elsewhere = {
        packets: (this.elsewhere?.packets ?? 0) + 1,
        from: { address: from.address, port: from.port },
      };
      return;
    }
    // Only the audio is timed for jitter: the far end's DTMF events are not (receive-stats.ts).
    const law = this.lawOf(p.payloadType);
    this.stats.packet(p.sequence, p.timestamp, p.ssrc, this.clock.now(), law !== undefined);
    if (this.recording !== undefined && law !== undefined) this.recordAt(p, law, this.recording);
  }

  /**
   * The G.711 law of a payload type the far end sends: the static 0 and 8 (RFC 3551 §6), or the dynamic
   * one the answer mapped to PCMU or PCMA (`a=rtpmap:98 PCMU/8000`, RFC 3264 §6.1); else not audio.
   */
  private lawOf(payloadType: number): G711Law | undefined {
    if (payloadType === 0) return 'PCMU';
    if (payloadType === 8) return 'PCMA';
    const plan = this.plan;
    return plan !== undefined && payloadType === plan.payloadType ? plan.law : undefined;
  }

  /**
   * Records a G.711 payload where its RTP timestamp puts it (RFC 3550 §5.1), so that the recording keeps
   * the call's timeline: a lost packet, an RFC 4733 event or a pause in the far end's sending is silence,
   * a late packet goes back to its place. A new stream (SSRC), or a jump of more than MAX_JUMP, goes on
   * from the recording's end.
   */
  private recordAt(p: ParsedRtp, law: G711Law, recording: RecordingFile): void {
    const base = this.recordBase;
    let offset = base === undefined ? 0 : (p.timestamp - base.timestamp) >>> 0;
    if (base === undefined || base.ssrc !== p.ssrc || offset > this.recordEnd + MAX_JUMP) {
      offset = this.recordEnd;
      this.recordBase = { ssrc: p.ssrc, timestamp: (p.timestamp - offset) >>> 0 };
    }
    const samples = decodeG711(p.payload, law);
    recording.put(offset, samples);
    this.recordEnd = Math.max(this.recordEnd, offset + samples.length);
  }

  /** Sends a report; `then` runs once it has left (or at once when there is nothing to send). */
  private sendRtcp(bye: boolean, then?: () => void): void {
    const plan = this.plan;
    if (plan === undefined || this.closed) {
      then?.();
      return;
    }
    const report = rtcpReport({
      ssrc: this.ssrc,
      cname: this.options.cname,
      sender:
        this.sent.packets > 0
          ? {
              wallMs: Date.now(),
              rtpTimestamp: this.ts0 + this.at(this.schedule?.sent ?? 0),
              packets: this.sent.packets,
              octets: this.sent.octets,
            }
          : undefined,
      received: this.stats,
      lastSr: this.lastSr,
      nowMs: this.clock.now(),
      bye,
    });
    // RFC 3605 §2.1: the far end's a=rtcp names its RTCP port (and address); else RTP's port + 1 (RFC 3550
    // §11). Where its own RTCP came from after a latch (its NAT's mapping) goes before either.
    const to = this.rtcpRemote ?? {
      address: plan.rtcp?.address ?? plan.remote.address,
      port: plan.rtcp?.port ?? plan.remote.port + 1,
    };
    // An answer that never named a usable address (c=0.0.0.0 from the start): no RTCP at all.
    if (unspecified(to.address)) {
      then?.();
      return;
    }
    if (then === undefined) this.sockets.rtcp.send(report, to.port, to.address);
    else this.sockets.rtcp.send(report, to.port, to.address, () => then());
  }

  /**
   * Is this packet the far end's? Symmetric RTP (RFC 4961 §4, "latching", RFC 7362 §4): a phone behind a
   * NAT gives its private address in its SDP, and its packets come from the NAT's: ours go where they
   * come from. A different port alone (a device that sends from another port than it listens on)
   * changes nothing. Latching happens once, and only while the SDP's address has sent nothing (RFC 7362
   * §4.2, the "RTP bleed" attack): anyone who can reach our port could otherwise take the call's media
   * over. A packet from the SDP's address ends a latch to elsewhere (the far end is where it said). A
   * packet from any other source is not the call's: it is not counted. Before the answer (early media)
   * every packet counts.
   */
  private fromFarEnd(from: RemoteInfo): boolean {
    if (this.ignored.has(hostPort(from))) return false;
    const plan = this.plan;
    if (plan === undefined) return true;
    const l = this.latched;
    const sdp = l?.sdp ?? plan.remote;
    if (from.address === sdp.address) {
      this.sdpHeard = true;
      if (l !== undefined) this.unlatch();
      return true;
    }
    if (l !== undefined) return from.address === l.to.address && from.port === l.to.port;
    if (this.sdpHeard) return false;
    const to = { address: from.address, port: from.port };
    this.latched = { sdp: plan.remote, to };
    this.plan = { ...plan, remote: to };
    return true;
  }

  /** Back to the SDP's address from where we had latched. */
  private unlatch(): void {
    const l = this.latched;
    if (l === undefined || this.plan === undefined) return;
    this.plan = { ...this.plan, remote: l.sdp };
    this.latched = undefined;
    this.rtcpRemote = undefined;
  }

  /**
   * RTP from this address and port is not the call's (the SDP address of another fork's 2xx, which we
   * ACK and end, RFC 3261 §13.2.2.4): never counted, recorded or latched to.
   */
  ignore(source: Remote): void {
    this.ignored.add(hostPort(source));
    const l = this.latched;
    if (l !== undefined && l.to.address === source.address && l.to.port === source.port) this.unlatch();
  }

  /**
   * Where to send for an SDP's address (a re-INVITE's): where we latched, when it names the address we
   * latched away from (the NATed phone's private one again); else that address, latching anew.
   */
  private remoteFor(sdp: Remote): Remote {
    const l = this.latched;
    if (l !== undefined && l.sdp.address === sdp.address && l.sdp.port === sdp.port) return l.to;
    if (l !== undefined || this.plan?.remote.address !== sdp.address) this.sdpHeard = false;
    this.latched = undefined;
    return sdp;
  }

  summary(): MediaSummary {
    const out: MediaSummary = { sent: { ...this.sent }, received: this.stats.summary() };
    if (this.digits.length > 0) out.sent.dtmfNotSent = this.digits.join('');
    const l = this.latched;
    if (l !== undefined) out.latched = { sdp: hostPort(l.sdp), to: hostPort(l.to) };
    const e = this.elsewhere;
    if (e !== undefined) out.elsewhere = { packets: e.packets, from: hostPort(e.from) };
    return out;
  }

  /** Stops sending (RTCP BYE), releases the ports; returns what was sent and received. Idempotent. */
  close(): MediaSummary {
    if (!this.closed) {
      this.endEvent(); // an event under way when the media stops is ended too (RFC 4733 §2.5.1.4)
      try {
        this.sendRtcp(true, () => this.pool.release(this.sockets));
      } catch {
        this.pool.release(this.sockets);
      }
      this.closed = true;
      this.clock.remove(this);
      this.cancelRtcp?.();
      this.cancelRtcp = undefined;
      this.onFinished = undefined;
    }
    return this.summary();
  }
}
