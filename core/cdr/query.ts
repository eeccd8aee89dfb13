// What can be asked of the CDR store (DSP CDR, DSP CDR STAT, EXP CDR, CLR CDR; original-server.md §1.2
// and §3.5) and how a query's filters become one indexed WHERE clause. Bad parameters throw StoreError
// ('invalid') naming the parameter, before anything is read or changed.
import { StoreError } from '../store/types';
import { CAMPAIGN_ID } from './campaign-id';
import { isCdrDate } from './clock-fields';
import { CDR_TYPE_FILTERS } from './record';
import type { CdrRecord } from './record';
import { isRecordId } from './record-id';

export const DEFAULT_CDR_PAGE_SIZE = 50;
export const MAX_CDR_PAGE_SIZE = 1000;

/** Which rows: every filter given must match. */
export interface CdrFilter {
  /** The row's date column, YYYY-MM-DD. */
  date?: string;
  /**
   * Record type, case-insensitive: CALL, REGISTER, MESSAGE, OPTIONS; UNREGISTER selects the REGISTER
   * rows of unregistrations and expiries.
   */
  type?: string;
  /** Exact caller_number / callee_number (e.g. 1001). */
  caller?: string;
  callee?: string;
  /** Exact Call-ID (sip_call_id). */
  callId?: string;
  /**
   * A part of the Call-ID, in any case, or of the record's call_id column (a MESSAGE's "<Call-ID>-1
   * MESSAGE"): DSP CDR CALLID=, when no Call-ID is that exactly.
   */
  callIdPart?: string;
  /** The record's call_state, in any case (ENDED, FAILED, CANCELLED, SUCCESS, ...; see CdrCallState). */
  state?: string;
  /** A dialer campaign's id (C0001, any case): the rows of its calls (extra_info `dialer campaign=C0001`). */
  campaign?: string;
}

export interface CdrQuery extends CdrFilter {
  /** Rows per page, default 50, at most 1000. */
  limit?: number;
  /**
   * Page back: only rows older than this one. A string is a record_id (rows after it in the newest-first
   * order); a number is a time in ms since the epoch (rows that started before it).
   */
  before?: string | number;
}

export interface CdrPage {
  /** Newest first (by started_at, then record_id). */
  records: CdrRecord[];
  /** Rows matching the filters, whatever the page. */
  total: number;
  limit: number;
  /** The `before` that fetches the next (older) page; undefined on the last page. */
  next: string | undefined;
}

export interface CdrStats {
  date: string | undefined;
  total: number;
  /** Rows per record_type and per call_state (DSP CDR STAT's two tables). */
  byType: Record<string, number>;
  byState: Record<string, number>;
  /** The original's get_stats figures, for one merged row per call. */
  /** REGISTER rows that registered (SUCCESS), and those of unregistrations and expiries. */
  registers: number;
  unregisters: number;
  messages: number;
  options: number;
  calls: number;
  callsAnswered: number;
  callsEnded: number;
  callsFailed: number;
  /** CANCELLED, and ENDED before the answer (the operator ended it ringing). */
  callsCancelled: number;
  /** Over answered calls: total and mean talk time in seconds, mean setup time in ms (0 when none). */
  talkSeconds: number;
  averageTalkSeconds: number;
  averageSetupMs: number;
}

export type CdrClearScope = { before: string } | { all: true };

export interface CdrClearResult {
  /** Rows deleted from the database. */
  rows: number;
  /** CSV day folders deleted, oldest first. */
  days: string[];
}

export interface CdrExport {
  path: string;
  count: number;
}

/**
 * A Call-ID as DSP CDR CALLID= takes it, and EXP CDR and the console's Call-ID filter with it: the
 * Call-ID exactly when a row of the other filters has it (found by its index), else a part of one in
 * any case (callIdPart: a scan of the rows the other filters leave, the day's). `total` counts a
 * filter's rows (the store's page().total).
 */
export async function matchCallId<F extends CdrFilter>(
  filter: F,
  total: (f: CdrFilter) => Promise<number>,
): Promise<F> {
  const callId = filter.callId;
  if (callId === undefined || callId === '' || filter.callIdPart !== undefined) return filter;
  const { date, type, caller, callee, state } = filter;
  if ((await total({ date, type, caller, callee, state, callId })) > 0) return filter;
  return { ...filter, callId: undefined, callIdPart: callId };
}

/** Named parameters of a WHERE clause; the keys used are also the statement's cache key. */
export interface FilterParams {
  date?: string;
  type?: string;
  caller?: string;
  callee?: string;
  callId?: string;
  callIdPart?: string;
  state?: string;
  campaign?: string;
}

/** A call_state is one word: the stored ones (CdrCallState) and the original's (STARTED, ANSWERED). */
const STATE_WORD = /^[A-Za-z_]{1,20}$/;

function invalid(field: string, problem: string): never {
  throw new StoreError('invalid', `${field}: ${problem}`, field);
}

export function checkDate(field: string, value: unknown): string {
  if (typeof value !== 'string' || !isCdrDate(value)) {
    invalid(field, `must be a date YYYY-MM-DD, got "${String(value)}"`);
  }
  return value;
}

function checkText(field: string, value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') invalid(field, 'must be a string');
  return value;
}

/** The filters that were given, checked and normalised (type upper-cased). */
export function filterParams(filter: CdrFilter): FilterParams {
  const params: FilterParams = {};
  if (filter.date !== undefined && filter.date !== '') params.date = checkDate('date', filter.date);
  const type = checkText('type', filter.type)?.toUpperCase();
  if (type !== undefined) {
    if (!CDR_TYPE_FILTERS.includes(type)) {
      invalid('type', `must be one of ${CDR_TYPE_FILTERS.join(', ')}, got "${filter.type}"`);
    }
    params.type = type;
  }
  const caller = checkText('caller', filter.caller);
  if (caller !== undefined) params.caller = caller;
  const callee = checkText('callee', filter.callee);
  if (callee !== undefined) params.callee = callee;
  const callId = checkText('callId', filter.callId);
  if (callId !== undefined) params.callId = callId;
  const callIdPart = checkText('callIdPart', filter.callIdPart);
  if (callIdPart !== undefined) params.callIdPart = callIdPart;
  const state = checkText('state', filter.state);
  if (state !== undefined) {
    if (!STATE_WORD.test(state)) invalid('state', `must be a state such as ENDED or FAILED, got "${state}"`);
    params.state = state.toUpperCase();
  }
  const campaign = checkText('campaign', filter.campaign)?.toUpperCase();
  if (campaign !== undefined) {
    if (!CAMPAIGN_ID.test(campaign))
      invalid('campaign', `must be a campaign id such as C0001, got "${filter.campaign}"`);
    params.campaign = campaign;
  }
  return params;
}

const TERMS: Record<keyof FilterParams, string> = {
  date: 'date = @date',
  type: 'record_type = @type',
  caller: 'caller_number = @caller',
  callee: 'callee_number = @callee',
  callId: 'sip_call_id = @callId',
  // The record's call_id too: a MESSAGE's is the original's <Call-ID>-<CSeq>, as its CSV shows it.
  callIdPart:
    '(instr(lower(sip_call_id), lower(@callIdPart)) > 0 OR instr(lower(call_id), lower(@callIdPart)) > 0)',
  // No index of its own (each index costs every REGISTER row's insert): the date's or the type's index
  // narrows the rows, this term sorts them out. Stored states are upper-case (CdrCallState, the
  // original's too) and so is @state: no upper() on each row (a third of a 200,000-row day's scan).
  state: 'call_state = @state',
  // A dialer call's row: extra_info `dialer campaign=C0001` and its RTP figures after a space (dialer.ts
  // annotateCdr). No index: the date's narrows the rows to the day's, this term sorts them out (the
  // id is C and digits, no LIKE wildcard in it).
  campaign:
    "(extra_info = 'dialer campaign=' || @campaign OR extra_info LIKE 'dialer campaign=' || @campaign || ' %')",
};

/** TYPE=UNREGISTER: unregistrations and expiries, which the original's layout files as REGISTER. */
const UNREGISTER_TERM = "record_type = 'REGISTER' AND call_state IN ('UNREGISTERED', 'EXPIRED')";

/** Terms whose column has an index of its own (migrations.ts): date, type, caller, callee. */
const INDEXED_TERMS: ReadonlySet<keyof FilterParams> = new Set(['date', 'type', 'caller', 'callee'] as const);

/** `WHERE a AND b` for the given filters plus any extra terms, '' when there are none. */
export function whereClause(params: FilterParams, extra: readonly string[] = []): string {
  // A Call-ID names a call's few rows, which its index finds. With one, the other columns' terms are
  // written so that their indexes are not used (SQLite's unary +): for a page's ORDER BY the planner
  // walked the day's index instead, every row of it (a 200,000-row day: a quarter of a second on the
  // event loop, for DSP CDR CALLID= and the console's Call-ID filter).
  const byCallId = params.callId !== undefined;
  const terms = (Object.keys(TERMS) as (keyof FilterParams)[])
    .filter((k) => params[k] !== undefined)
    .map((k) => {
      const term = k === 'type' && params.type === 'UNREGISTER' ? UNREGISTER_TERM : TERMS[k];
      return byCallId && INDEXED_TERMS.has(k) ? `+${term}` : term;
    });
  terms.push(...extra);
  return terms.length === 0 ? '' : `WHERE ${terms.join(' AND ')}`;
}

export function pageLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_CDR_PAGE_SIZE;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    invalid('limit', `must be a whole number ≥ 1, got ${String(value)}`);
  }
  return Math.min(value, MAX_CDR_PAGE_SIZE);
}

export type Cursor = { kind: 'id'; recordId: string } | { kind: 'time'; time: number } | undefined;

export function cursor(value: unknown): Cursor {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string') {
    if (!isRecordId(value)) invalid('before', `must be a record_id (20 digits), got "${value}"`);
    return { kind: 'id', recordId: value };
  }
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'time', time: value };
  return invalid('before', `must be a record_id or a time in ms, got ${String(value)}`);
}
