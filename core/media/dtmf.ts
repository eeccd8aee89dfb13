// DTMF digits as RFC 4733 telephone events (§2.3): each digit is a run of packets carrying the same RTP
// timestamp (the event's start), the marker bit on the first, a growing duration, and the final packet
// sent three times with the E bit (§2.5.1.4). A pause follows each digit before the next. The packets go
// at the audio's packetization interval (§2.5.1.2), 20 ms unless the answer's a=ptime said otherwise.
const EVENTS = '0123456789*#ABCD';

/**
 * Tone and pause lengths in packets of `ptimeMs`: 100 ms of tone and 60 ms of pause in 20 ms packets (5
 * and 3), else as near those as whole packets come, one at least (60 ms packets: 2 of tone, 1 of pause).
 */
export function dtmfPackets(ptimeMs: number): { tone: number; gap: number } {
  return { tone: Math.max(1, Math.round(100 / ptimeMs)), gap: Math.max(1, Math.round(60 / ptimeMs)) };
}
const VOLUME = 10; // -10 dBm0

/** A digit's event code (§3.2: 0-9, * 10, # 11, A-D 12-15), -1 for anything else. */
export function dtmfEvent(digit: string): number {
  return EVENTS.indexOf(digit.toUpperCase());
}

export function isDtmfDigits(text: string): boolean {
  return text.length > 0 && [...text.toUpperCase()].every((c) => EVENTS.includes(c));
}

/** One packet's slot of a DTMF sequence: an event payload with its flags, or silence (a pause). */
export interface DtmfSlot {
  /** 4-byte event payload; undefined for a pause slot (audio continues there). */
  payload?: Buffer;
  /** First packet of an event: set the marker, and the event's timestamp starts at this slot. */
  start: boolean;
  /** Slot offset from the event's first slot (the RTP timestamp stays that of the first slot). */
  offset: number;
}

function eventPayload(event: number, end: boolean, duration: number): Buffer {
  const out = Buffer.alloc(4);
  out[0] = event;
  out[1] = (end ? 0x80 : 0) | VOLUME;
  out.writeUInt16BE(duration & 0xffff, 2);
  return out;
}

/** The slots of a digit string, in order; 8000 Hz clock, packets of `ptimeMs` (8 × ptime samples a slot). */
export function dtmfSlots(digits: string, ptimeMs = 20): DtmfSlot[] {
  const out: DtmfSlot[] = [];
  const { tone, gap } = dtmfPackets(ptimeMs);
  for (const c of digits.toUpperCase()) {
    const event = EVENTS.indexOf(c);
    if (event < 0) continue;
    for (let i = 0; i < tone; i++) {
      const end = i === tone - 1;
      const payload = eventPayload(event, end, (i + 1) * 8 * ptimeMs);
      out.push({ payload, start: i === 0, offset: i });
      // §2.5.1.4: the end packet is retransmitted twice (same duration and timestamp: the event's start,
      // its slots further on).
      if (end) for (let r = 1; r <= 2; r++) out.push({ payload, start: false, offset: i + r });
    }
    for (let i = 0; i < gap; i++) out.push({ start: false, offset: 0 });
  }
  return out;
}
