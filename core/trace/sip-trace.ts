// The SIP trace (issue 14): follows the transport's message tap and keeps every message in the ring
// (always on, bounded), in SQLite when persistence is on (SET TRACE), and sends each to a HEP collector
// when one is set. What an operator or the control contract asks of it: the dialogs matching filters,
// the messages of a Call-ID, their ladder, a pcap or text export, live updates, clearing.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from '../observe/log';
import { CONTROL_BUT_LINES, escapeControls } from '../observe/controls';
import { writeNewFileIn, writeNewFileInSteps } from '../store/new-file';
import { localIsoTime } from '../store/local-time';
import type { SipMessage } from '../sip/message/index';
import type { MessageTap, TappedMessage } from '../sip/transport/message-tap';
import { addressPort } from '../address-port';
import { HepSender, parseCollector } from './hep';
import { localTimeUs, renderLadder, type LadderOptions } from './ladder';
import { pcapFile, PcapWriter, type PcapPacket } from './pcap';
import { heldMessages, summaryOf, type TraceDialogSummary } from './trace-dialog';
import { endpointFilter, matches, type TraceFilter } from './trace-filter';
import { captured, endsOf, type TraceMessage } from './trace-message';
import { TraceRing } from './trace-ring';
import { LastReceived } from './late-refusal';
import { ownCopy } from './held-message';
import { readableSipBytes } from './sip-text';
import { clearClosedStore, TraceStore } from './trace-store';
import { nextTurn } from '../observe/next-turn';

export interface TraceConfig {
  /** Ring size in messages; 0 turns the ring off. */
  ringMessages: number;
  ringMB: number;
  /** Keep messages in <dataDir>/trace.db too. */
  persist: boolean;
  retentionDays: number;
  dbMB: number;
  /** host:port of a HEP collector, '' for none. */
  hepCollector: string;
  hepCaptureId: number;
  /** HEP's auth key chunk (TRACE.HEP_AUTH_KEY); none when empty or absent. */
  hepAuthKey?: string;
}

export type TraceExportFormat = 'PCAP' | 'TEXT';

/** Whether messages are kept now: in the ring (the Trace view's live list; 0 is off), in trace.db. */
export interface TraceKeeping {
  ringMessages: number;
  persist: boolean;
}

/** A live change: a message was added to a dialog (the Trace view's list follows these). */
export interface TraceUpdate {
  readonly callId: string;
  /**
   * The dialog's summary now (built when asked for: a listener that coalesces asks once per interval);
   * undefined once the ring has forgotten the dialog.
   */
  summary(): TraceDialogSummary | undefined;
  /** Valid during the listener's call only (the ring reuses it once it lets it go): copy to keep. */
  readonly message: TraceMessage;
}

export interface TraceStatus {
  ringMessages: number;
  ringBytes: number;
  dialogs: number;
  evicted: number;
  captured: number;
  persist: boolean;
  storedMessages: number;
  storedBytes: number;
  hepCollector: string;
  hepSent: number;
  hepFailed: number;
}

const MB = 1024 * 1024;
/** At most one log line about lost HEP packets in this long. */
const HEP_WARNING_MS = 10_000;

/**
 * With the ring off and trace.db on, a small ring of the latest messages marks retransmissions as the
 * ring does (they come within Timer G/H's 32 s; under load some may go unmarked, never mismarked).
 */
const RECENT_LIMITS = { maxMessages: 4096, maxBytes: 4 * MB };

/**
 * Messages gathered, made into packets or text, and written in one turn of the event loop by
 * exportManyFile (EXP TRACE with filters: 50,000 messages in one turn held SIP 2 s; 500 take some ms,
 * their ladders' text the most).
 */
const EXPORT_STEP = 500;

/** Did the message cross the wire? Not one we sent whose connection never opened (a capture has none). */
function onWire(m: TraceMessage): boolean {
  return m.direction === 'in' || m.error === undefined;
}

/** The pcap file of these messages (all crossed the wire), EXPORT_STEP packets a part, a turn between two. */
async function* pcapInSteps(sent: readonly TraceMessage[]): AsyncGenerator<Buffer> {
  const w = new PcapWriter();
  for (let i = 0; i < sent.length; i++) {
    w.add(packetOf(sent[i]!));
    if ((i + 1) % EXPORT_STEP === 0) {
      yield w.take();
      await nextTurn();
    }
  }
  yield w.take();
}

/** A pcap of the messages that crossed the wire (one never sent has no packet), and how many were left out. */
function pcapOf(all: readonly TraceMessage[]): { data: Buffer; messages: number; leftOut: number } {
  const sent = all.filter(onWire);
  return { data: pcapFile(sent.map(packetOf)), messages: sent.length, leftOut: all.length - sent.length };
}

export function packetOf(m: TraceMessage): PcapPacket {
  const { src, dst } = endsOf(m);
  // TLS and WebSocket messages are kept decrypted / unframed: a pcap shows them as the SIP they carry,
  // in synthetic TCP segments between the same ends.
  return { timeUs: m.timeUs, transport: m.transport === 'UDP' ? 'UDP' : 'TCP', src, dst, data: m.data };
}

/** A Call-ID made safe for a file name. */
export const fileSafe = (s: string): string =>
  // '..' too: the console's download route refuses names with it (a Call-ID such as a..b@host).
  s
    .replace(/[^\w.@-]+/g, '_')
    .replace(/\.{2,}/g, '_')
    .slice(0, 80) || 'none';

export class SipTrace {
  private readonly ring: TraceRing;
  private store: TraceStore | undefined;
  /** The latest messages when the ring is off and trace.db on (RECENT_LIMITS). */
  private recent: TraceRing | undefined;
  private hep: HepSender | undefined;
  /** When a lost HEP packet was last told in the log. */
  private hepWarnedAt = -Infinity;
  /** The collector and capture id `hep` sends to ('' when none). */
  private hepKey = '';
  /** What the senders and stores let go (SET TRACE) had counted: /metrics' counters never go back. */
  private readonly retired = { hepSent: 0, hepFailed: 0, dbMessages: 0, dbFailures: 0 };
  private stopTap: (() => void) | undefined;
  private readonly listeners = new Set<(u: TraceUpdate) => void>();
  /** Each is called with a summary to read during the call only (a listener that wants it reads it then). */
  private readonly goneListeners = new Set<(callId: string, summary: () => TraceDialogSummary) => void>();
  private seq = 0;
  /** The last message received, kept as accepted until a late refusal says otherwise (refusedLate). */
  private readonly lastReceived = new LastReceived();
  private config: TraceConfig;
  /** Told after clear() (the appliance's traceState topic: the consoles' Trace view says so and reloads). */
  onCleared: (() => void) | undefined;
  /** Told when trace.db let its oldest dialogs go (DB_MB, RETENTION_DAYS): the Trace view reads its page again. */
  onTrimmed: (() => void) | undefined;

  constructor(
    private readonly tap: MessageTap,
    private readonly dataDir: string,
    config: TraceConfig,
    private readonly log?: Log,
  ) {
    this.config = config;
    this.ring = new TraceRing({ maxMessages: config.ringMessages, maxBytes: config.ringMB * MB });
    this.ring.onForget = (d) => {
      // With trace.db on, the dialog is still there to list and open.
      if (this.store !== undefined || this.goneListeners.size === 0) return;
      // Read now or never: the record is reused once the ring lets its message go.
      const gone = (): TraceDialogSummary => ({ ...summaryOf(d), gone: true });
      for (const l of this.goneListeners) l(d.callId, gone);
    };
    this.apply(config);
  }

  /**
   * Applies a configuration (start-up and SET TRACE / SET CFG); throws Error naming the fault (a bad HEP
   * collector) before changing anything.
   */
  reconfigure(config: TraceConfig): void {
    this.apply(config);
  }

  private apply(config: TraceConfig): void {
    const collector = config.hepCollector.trim() === '' ? undefined : parseCollector(config.hepCollector);
    this.config = config;
    this.ring.setLimits({ maxMessages: config.ringMessages, maxBytes: config.ringMB * MB });
    if (config.ringMessages === 0) this.ring.clear();
    const retention = { days: config.retentionDays, maxBytes: config.dbMB * MB };
    if (config.persist && this.store === undefined) {
      mkdirSync(this.dataDir, { recursive: true });
      this.store = new TraceStore(
        this.dataDir,
        retention,
        (err) =>
          this.log?.error(
            `trace: writing to trace.db failed: ${String(err)}; its messages are not kept there until it works again (said then)`,
          ),
        undefined,
        this.log,
      );
      this.store.onTrimmed = () => this.onTrimmed?.();
    } else if (!config.persist && this.store !== undefined) {
      this.closeStore();
    } else this.store?.setRetention(retention);
    if (config.ringMessages === 0 && this.store !== undefined) this.recent ??= new TraceRing(RECENT_LIMITS);
    else this.recent = undefined;
    // The same collector and capture id keep their sender, and with it its sent and failed counts.
    const hepKey =
      collector === undefined
        ? ''
        : `${collector.host} ${collector.port} ${config.hepCaptureId} ${config.hepAuthKey ?? ''}`;
    if (hepKey !== this.hepKey) {
      this.closeHep();
      this.hep =
        collector === undefined
          ? undefined
          : new HepSender(
              collector,
              { captureId: config.hepCaptureId, authKey: config.hepAuthKey },
              (why, callId) => this.hepLost(why, callId),
            );
      this.hepKey = hepKey;
    }
    // Follow the tap only when something keeps or sends the messages: otherwise it stays idle.
    const wanted = config.ringMessages > 0 || this.store !== undefined || this.hep !== undefined;
    if (wanted && this.stopTap === undefined) this.stopTap = this.tap.on(this.onTapped);
    if (!wanted && this.stopTap !== undefined) {
      this.stopTap();
      this.stopTap = undefined;
    }
  }

  // The message is valid while the ring holds it (or, ring off, during this call): trace.db's batch
  // copies it, HEP sends a packet built now, listeners read it now.
  private readonly onTapped = (t: TappedMessage): void => {
    const seq = ++this.seq;
    const held = this.config.ringMessages > 0 ? this.ring.add(seq, t) : undefined;
    const marked = held ?? this.recent?.add(seq, t);
    const m = marked?.message ?? captured(seq, t);
    const dialog = held?.dialog;
    const row = this.store?.push(m, marked?.dialog.kind ?? 'other');
    if (t.direction === 'in' && t.error === undefined && t.message !== undefined)
      this.lastReceived.keep(t.message, seq, marked?.message, row);
    if (this.hep !== undefined && onWire(m)) this.hep.send(packetOf(m), m.callId);
    if (dialog !== undefined && this.listeners.size > 0) {
      const serial = dialog.serial;
      const update = {
        callId: dialog.callId,
        // Once the ring forgot the dialog (and reused its record), there is nothing to say of it.
        summary: () => (dialog.serial === serial ? summaryOf(dialog) : undefined),
        message: m,
      };
      for (const l of this.listeners) l(update);
    }
  };

  /**
   * A request IMS Lab answered 400 once its handling began (RFC 3261 §8.2; the transaction layer's
   * onRefused): marked as the transport's refusals are (late-refusal.ts). Returns whether it was.
   */
  refusedLate(message: SipMessage, error: string): boolean {
    return this.lastReceived.refused(message, error);
  }

  /**
   * Dialogs the trace lets go for good (the ring full and trace.db off), with their last summary marked
   * `gone`: the Trace view's open list drops them (it went on listing hundreds the ring no longer held,
   * "Showing 457 of 457" against 55 held). Returns the function that stops them.
   */
  onGone(listener: (callId: string, summary: () => TraceDialogSummary) => void): () => void {
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }

  /** Live updates: every message added to a dialog. Returns the function that stops them. */
  on(listener: (u: TraceUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The dialogs held that match, newest first, at most `limit`; `total` counts all that match. With
   * trace.db on, those stored too: a dialog the ring lists is listed once, with the ring's summary.
   */
  dialogs(filter: TraceFilter = {}, limit = 100): { dialogs: TraceDialogSummary[]; total: number } {
    const f = endpointFilter(filter);
    const held = [...this.ring.dialogs.values()].filter((d) => matches(d, f));
    held.sort((a, b) => b.startUs - a.startUs);
    const listed = held.slice(0, limit).map(summaryOf);
    if (this.store === undefined) return { dialogs: listed, total: held.length };
    // A dialog that began before a restart: trace.db has its older messages, the ring the newer ones.
    const spans = this.store.spans(listed.map((d) => d.callId));
    for (const d of listed) {
      const s = spans.get(d.callId);
      if (s !== undefined && s.messages > d.messages) {
        d.messages = s.messages;
        d.startUs = Math.min(d.startUs, s.startUs);
      }
    }
    const inRing = new Set(held.map((d) => d.callId));
    const stored = this.store.dialogs(f, limit, (callId) => inRing.has(callId));
    // Stable: of the same start, the ring's first.
    const all = listed.concat(stored.dialogs).sort((a, b) => b.startUs - a.startUs);
    return { dialogs: all.slice(0, limit), total: held.length + stored.total };
  }

  /**
   * The messages of a Call-ID in capture order: from the ring, else from trace.db. Each with a copy of
   * its bytes of its own (the ring writes over a message's bytes once it lets it go).
   */
  messages(callId: string): TraceMessage[] {
    const d = this.ring.dialogs.get(callId);
    const held = (): TraceMessage[] => (d === undefined ? [] : heldMessages(d).map(ownCopy));
    if (d !== undefined && d.held === d.count && this.store === undefined) return held();
    // trace.db may hold more even of a dialog the ring has whole: its messages before a restart.
    const stored = this.store?.messagesOf(callId) ?? [];
    if (stored.length > (d?.held ?? 0)) return stored;
    return held();
  }

  ladder(callId: string, options?: LadderOptions): string {
    return renderLadder(callId, this.messages(callId), { ...options, captured: this.capturedOf(callId) });
  }

  /** Messages the ring ever captured for a Call-ID (more than it holds once it let the oldest go). */
  private capturedOf(callId: string): number | undefined {
    return this.ring.dialogs.get(callId)?.count;
  }

  /**
   * The messages of a Call-ID as a pcap file or as text (the ladder, then each message whole), with how
   * many it holds: a pcap leaves out the messages that never crossed the wire (sent on a connection that
   * never opened), which "32 messages written" over 31 packets did not say.
   */
  exported(callId: string, format: TraceExportFormat): { data: Buffer; messages: number; leftOut: number } {
    const all = this.messages(callId);
    if (format !== 'PCAP') return { data: this.text(callId, all), messages: all.length, leftOut: 0 };
    return pcapOf(all);
  }

  /** The messages of a Call-ID as a pcap file or as text (the ladder, then each message whole). */
  export(callId: string, format: TraceExportFormat): Buffer {
    return this.exported(callId, format).data;
  }

  /** The text export: the ladder, then each message whole. */
  private text(callId: string, messages: readonly TraceMessage[]): Buffer {
    // Each message as its bytes crossed the wire (UTF-8 or not, CRLF kept), but for the control characters
    // a peer put in it, escaped (readableSipBytes); so are the Call-ID, reason phrases and faults the ladder
    // and the headings quote.
    const ladder = renderLadder(callId, messages, { captured: this.capturedOf(callId) });
    const parts: Buffer[] = [Buffer.from(escapeControls(ladder, CONTROL_BUT_LINES), 'utf8')];
    // Numbered 1..N as DSP TRACE's and the Trace view's lists number them (not the ring's own sequence).
    for (const [i, m] of messages.entries()) {
      const { src, dst } = endsOf(m);
      const head =
        `\n\n#${i + 1} ${m.direction === 'in' ? 'received' : 'sent'} ${m.transport} ${addressPort(src.address, src.port)} -> ` +
        `${addressPort(dst.address, dst.port)} at ${localTimeUs(m.timeUs)}${m.retransmission ? ' (retransmission)' : ''}` +
        `${m.error === undefined ? '' : m.direction === 'out' ? ` (${m.error})` : ` not accepted: ${m.error}`}\n\n`;
      parts.push(Buffer.from(escapeControls(head, CONTROL_BUT_LINES), 'utf8'), readableSipBytes(m.data));
    }
    return Buffer.concat(parts);
  }

  /** Where exportFile writes (the console downloads from there). */
  get exportDir(): string {
    return join(this.dataDir, 'trace', 'exports');
  }

  /** Writes an export under <dataDir>/trace/exports/; returns the file and how many messages it holds. */
  exportFile(
    callId: string,
    format: TraceExportFormat,
    now = new Date(),
  ): { file: string; messages: number; leftOut: number } {
    const { data, messages, leftOut } = this.exported(callId, format);
    return { file: this.writeExport(fileSafe(callId), format, data, now), messages, leftOut };
  }

  /**
   * Writes trace_<name>_<time>.pcap or .txt under exportDir: a new file each time (two exports of one
   * call in the same second wrote one over the other). The time is the server's local YYYYmmddTHHMMSS,
   * the clock EXP CDR names its files by (it was UTC, unmarked: hours apart from an EXP CDR of the same
   * minute, another day near midnight).
   */
  private writeExport(name: string, format: TraceExportFormat, data: Buffer, now: Date): string {
    const stamp = localIsoTime(now).slice(0, 19).replace(/[-:]/g, '');
    return writeNewFileIn(
      this.exportDir,
      `trace_${name}_${stamp}`,
      format === 'PCAP' ? '.pcap' : '.txt',
      data,
    );
  }

  /**
   * The messages of several Call-IDs in one file under <dataDir>/trace/exports/ (a transfer's two calls,
   * every call of a time range: EXP TRACE with filters), at most `maxMessages` of them: a pcap in time
   * order, as a capture of those minutes would have them; text, each dialog's ladder and messages in turn.
   * Gathered, made and written EXPORT_STEP messages at a time, the event loop free between two; each
   * message a copy of its own (messages()), so the ring going on meanwhile changes nothing of it.
   */
  async exportManyFile(
    callIds: readonly string[],
    format: TraceExportFormat,
    maxMessages: number,
    now = new Date(),
  ): Promise<{ file: string; messages: number; leftOut: number; dialogs: number; cut: boolean }> {
    const taken: { callId: string; messages: TraceMessage[] }[] = [];
    let count = 0;
    let cut = false;
    let inStep = 0;
    for (const callId of callIds) {
      const messages = this.messages(callId);
      if (count + messages.length > maxMessages) {
        cut = true;
        break;
      }
      taken.push({ callId, messages });
      count += messages.length;
      inStep += messages.length + 1; // and a read of trace.db per dialog when it is on
      if (inStep >= EXPORT_STEP) {
        inStep = 0;
        await nextTurn();
      }
    }
    let messages = count;
    let leftOut = 0;
    let parts: AsyncIterable<Buffer>;
    if (format === 'PCAP') {
      const all = taken.flatMap((t) => t.messages).sort((a, b) => a.timeUs - b.timeUs || a.seq - b.seq);
      const sent = all.filter(onWire);
      messages = sent.length;
      leftOut = all.length - sent.length;
      await nextTurn(); // the sort in a turn of its own
      parts = pcapInSteps(sent);
    } else {
      parts = this.textInSteps(taken);
    }
    const name = `${taken.length}_dialogs`;
    const stamp = localIsoTime(now).slice(0, 19).replace(/[-:]/g, '');
    const ext = format === 'PCAP' ? '.pcap' : '.txt';
    const file = await writeNewFileInSteps(this.exportDir, `trace_${name}_${stamp}`, ext, parts);
    return { file, messages, leftOut, dialogs: taken.length, cut };
  }

  /** The text of several dialogs (each's ladder and messages, a blank line between two), in steps. */
  private async *textInSteps(
    taken: readonly { callId: string; messages: TraceMessage[] }[],
  ): AsyncGenerator<Buffer> {
    let part: Buffer[] = [];
    let inStep = 0;
    for (const [i, t] of taken.entries()) {
      if (i > 0) part.push(Buffer.from('\n\n'));
      part.push(this.text(t.callId, t.messages));
      inStep += t.messages.length + 1;
      if (inStep >= EXPORT_STEP) {
        yield Buffer.concat(part);
        part = [];
        inStep = 0;
        await nextTurn();
      }
    }
    yield Buffer.concat(part);
  }

  /** Forgets every message held and stored (trace.db too when persistence is off); returns how many of each. */
  clear(): { ring: number; stored: number } {
    const retention = { days: this.config.retentionDays, maxBytes: this.config.dbMB * MB };
    const stored = this.store?.clear() ?? clearClosedStore(this.dataDir, retention, this.log);
    const ring = this.ring.clear();
    this.onCleared?.();
    return { ring, stored };
  }

  /** Writes what is queued for trace.db now (tests, shutdown). */
  flush(): void {
    this.store?.flush();
  }

  /** A HEP packet lost: said in the log, at most once every 10 s (a collector gone would flood it). */
  private hepLost(why: string, callId: string | undefined): void {
    const now = Date.now();
    if (now - this.hepWarnedAt < HEP_WARNING_MS) return;
    this.hepWarnedAt = now;
    const of = callId === undefined || callId === '' ? '' : ` of Call-ID ${callId}`;
    this.log?.warning(
      `trace: a HEP packet${of} was not sent to ${this.config.hepCollector}: ${why} (${this.hep?.failed ?? 0} lost so far)`,
    );
  }

  status(): TraceStatus {
    return {
      ringMessages: this.ring.size,
      ringBytes: this.ring.heldBytes,
      dialogs: this.ring.dialogs.size,
      evicted: this.ring.evicted,
      captured: this.seq,
      persist: this.store !== undefined,
      storedMessages: this.store?.rows ?? 0,
      storedBytes: this.store?.bytes ?? 0,
      hepCollector: this.config.hepCollector,
      hepSent: this.hep?.sent ?? 0,
      hepFailed: this.hep?.failed ?? 0,
    };
  }

  /** Since the start, over every sender and store: HEP packets sent and lost, trace.db messages and failed writes. */
  writerFigures(): { hepSent: number; hepFailed: number; dbMessages: number; dbFailures: number } {
    const r = this.retired;
    return {
      hepSent: r.hepSent + (this.hep?.sent ?? 0),
      hepFailed: r.hepFailed + (this.hep?.failed ?? 0),
      dbMessages: r.dbMessages + (this.store?.written ?? 0),
      dbFailures: r.dbFailures + (this.store?.writeFailures ?? 0),
    };
  }

  private closeStore(): void {
    const store = this.store;
    store?.close(); // its last batch first
    this.retired.dbMessages += store?.written ?? 0;
    this.retired.dbFailures += store?.writeFailures ?? 0;
    this.store = undefined;
  }

  private closeHep(): void {
    this.retired.hepSent += this.hep?.sent ?? 0;
    this.retired.hepFailed += this.hep?.failed ?? 0;
    this.hep?.close();
    this.hep = undefined;
  }

  get settings(): Readonly<TraceConfig> {
    return this.config;
  }

  get keeping(): TraceKeeping {
    return { ringMessages: this.config.ringMessages, persist: this.config.persist };
  }

  stop(): void {
    this.stopTap?.();
    this.stopTap = undefined;
    this.closeStore();
    this.recent = undefined;
    this.closeHep();
    this.hepKey = '';
  }
}
