// A row of the original's CDR day file (original-server.md §3.2-3.3: its 34 columns, local dates and
// times, blanks for what does not apply) as a record of IMS Lab's store: the 34 columns as they were,
// IMS Lab's own ones derived from them where they can be (the instants, setup and talk in ms, the bare
// URIs, the SIP Call-ID of a MESSAGE row), blank where the original kept nothing to derive them from.
import { parseNameAddr } from '../sip/message/name-addr';
import { localInstants, parseLocalTime } from '../store/local-time';
import { isCdrDate } from './clock-fields';
import { blank } from './from-events';
import { originalFieldProblem } from './original-fields';
import {
  CDR_COLUMN_KINDS,
  CDR_COLUMNS,
  CDR_RECORD_TYPES,
  ORIGINAL_COLUMN_COUNT,
  type CdrRecord,
  type CdrRecordType,
} from './record';

/** The original's header, its 34 column names in order. */
export const ORIGINAL_COLUMNS: readonly string[] = CDR_COLUMNS.slice(0, ORIGINAL_COLUMN_COUNT);

/** The instant of a local `date` and a time HH:MM:SS[.mmm]; undefined when either is not one. */
function instant(date: string, time: string): number | undefined {
  if (time === '') return undefined;
  return parseLocalTime(`${date}T${time}`)?.getTime();
}

/** The calendar day after a YYYY-MM-DD. */
function nextDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/**
 * The instants the local clock read `time` on `date`; for a reading the clock skipped (the hour a
 * spring-forward jumps, which the original never wrote), the one after the jump.
 */
function readings(date: string, time: string): number[] {
  const found = localInstants(date, time);
  if (found.length > 0) return found;
  const skipped = instant(date, time);
  return skipped === undefined ? [] : [skipped];
}

/**
 * A later time of the same row (the original wrote naive local times, original-server.md §3.2): the
 * next time the server's clock read it at or after the start, by local date arithmetic in the server's
 * zone: later on the start's day (in a fall-back night's repeated hour, its first or second reading),
 * else on the next calendar day (past midnight; a day is 23 or 25 h when the clock changes at midnight).
 * `near`, when known (the answer plus the row's duration), picks the reading closest to it.
 */
function after(start: number, date: string, time: string, near?: number): number | undefined {
  if (time === '') return undefined;
  const sameDay = readings(date, time).filter((t) => t >= start);
  // Without a duration to weigh them, the first reading on the start's day (most rows) is the one.
  if (near === undefined && sameDay.length > 0) return sameDay[0];
  const later = [...sameDay, ...readings(nextDate(date), time)].filter((t) => t >= start);
  if (later.length === 0) return undefined;
  if (near === undefined) return later[0];
  return later.reduce((best, t) => (Math.abs(t - near) < Math.abs(best - near) ? t : best));
}

/**
 * The URI of a From/To value (<sip:1001@h>;tag=1 → sip:1001@h): its name-addr's addr-spec (RFC 3261
 * §25.1; a quoted display name may hold `<sip:...>`, which names nobody). A value that is no name-addr is
 * read loosely: inside its "<>", or without its params.
 */
function bareUri(value: string): string {
  const na = parseNameAddr(value.trim(), 'From');
  if (na !== null) return na.uriText;
  const angle = /<([^>]*)>/.exec(value);
  return (angle !== null ? angle[1]! : value.split(';')[0]!).trim();
}

/**
 * The record of one data row (fields in the header's order), or why it cannot be one: a record_id,
 * a known record type and a real date and start time are needed to file and list it, and its numbers and
 * times must be possible ones (original-fields.ts).
 */
export function originalRecord(fields: readonly string[]): CdrRecord | string {
  if (fields.length !== ORIGINAL_COLUMN_COUNT)
    return `${fields.length} fields, not the original's ${ORIGINAL_COLUMN_COUNT}`;
  const text = (name: string): string => fields[ORIGINAL_COLUMNS.indexOf(name)]!;
  const r: Record<string, string | number | null> = {};
  for (const [i, name] of ORIGINAL_COLUMNS.entries()) {
    const v = fields[i]!;
    const kind = CDR_COLUMN_KINDS[name as keyof typeof CDR_COLUMN_KINDS];
    if (kind === 'text') r[name] = v;
    else if (v.trim() === '' || !Number.isFinite(Number(v))) r[name] = null;
    else r[name] = kind === 'integer' ? Math.trunc(Number(v)) : Number(v);
  }
  const type = text('record_type');
  if (!CDR_RECORD_TYPES.includes(type as CdrRecordType))
    return `record_type "${type}" is none of ${CDR_RECORD_TYPES.join(', ')}`;
  if (text('record_id').trim() === '') return 'no record_id';
  const date = text('date');
  if (!isCdrDate(date)) return `date "${date}" is no YYYY-MM-DD`;
  const fieldProblem = originalFieldProblem(text);
  if (fieldProblem !== undefined) return fieldProblem;
  const call = type === 'CALL';
  const started = instant(date, (call && text('invite_time')) || text('start_time'));
  if (started === undefined) return `start_time "${text('start_time')}" is no HH:MM:SS`;
  const answered = call ? after(started, date, text('answer_time')) : undefined;
  const setup = /^(\d+(?:\.\d+)?)s$/.exec(text('setup_time'));
  const duration = r['duration'] as number | null;
  // The duration runs from the answer (or the start, unanswered) to the end (§3.2): it tells which
  // reading of an end time in a repeated hour the call ended at.
  const near = duration === null ? undefined : (answered ?? started) + duration * 1000;
  const ended = after(started, date, (call && text('bye_time')) || text('end_time'), near) ?? started;
  const callId = text('call_id');
  const cseq = text('cseq');
  // MESSAGE: call_id is `<Call-ID>-<CSeq>` (§3.3); the Call-ID alone is the part before it.
  const sipCallId =
    type === 'MESSAGE' && cseq !== '' && callId.endsWith(`-${cseq}`)
      ? callId.slice(0, -cseq.length - 1)
      : callId;
  const reason = text('termination_reason');
  return {
    ...blank(started), // IMS Lab's columns the original kept nothing for: blank
    ...(r as unknown as CdrRecord),
    started_at: started,
    ended_at: Math.max(ended, answered ?? started),
    answered_at: answered ?? null,
    pdd_ms: null, // the original never filled ringing_time
    ring_ms: null,
    talk_ms: call
      ? answered === undefined
        ? 0
        : duration !== null
          ? Math.round(duration * 1000)
          : Math.max(0, ended - answered)
      : null,
    hangup_by: reason.startsWith('FORCED_TERMINATION_BY_MML') ? 'operator' : '',
    sip_call_id: sipCallId,
    setup_ms: setup === null ? null : Math.round(Number(setup[1]) * 1000),
    end_reason: reason !== '' ? reason : text('call_state') === 'UNREGISTERED' ? 'Unregistered' : '',
    from_uri: type === 'REGISTER' ? '' : bareUri(text('caller_uri')),
    to_uri: type === 'REGISTER' ? '' : bareUri(text('callee_uri')),
    aor: type === 'REGISTER' ? text('caller_uri') : '',
  };
}
