// One call detail record: a row of the cdr table and a line of the daily CSV archive. The first 34
// columns are the original server's, same names, same order and the same values (original-server.md
// §3.2-3.3), so its users' spreadsheets and scripts keep working; IMS Lab's own, better typed columns
// follow them.
//
// The original's 34 columns, as it wrote them:
// - date is YYYY-MM-DD, start_time/end_time HH:MM:SS, invite/ringing/answer/bye_time HH:MM:SS.mmm,
//   all local time; the date is the row's own date (a call's start date), which also names its CSV day;
// - record_type is CALL, REGISTER (an unregistration too: REGISTER/UNREGISTERED), MESSAGE or OPTIONS;
// - setup_time is seconds as text, "0.50s" (setup_ms has the milliseconds);
// - termination_reason is the original's vocabulary: Normal, User Cancelled, "<code> <text>",
//   FORCED_TERMINATION_BY_MML (RMV CALL), FORCED_TERMINATION_BY_MML_CLR_ALL (CLR CALL),
//   FORCED_TERMINATION_BY_SHUTDOWN (the appliance stopped; IMS Lab's own); blank for
//   REGISTER rows (end_reason has IMS Lab's own reason for every row);
// - caller_uri/callee_uri are the raw From/To header values for CALL, MESSAGE and OPTIONS
//   (<sip:1001@h>;tag=578237) and, for REGISTER, the AOR as the phone registered it; from_uri, to_uri
//   and aor hold the bare and canonical URIs;
// - a value that does not apply is blank (expires of an unregistration, the status of a cancelled
//   call), as the original left it; so is the duration of an unanswered call, where the original wrote
//   start→end seconds (§3.2): duration is talk time (README, "What changed"); imported rows keep its.
// Deliberately different from the original (its defects, §12 items 23-25, 28): ringing_time is filled,
// a MESSAGE row carries the real final answer, every registration refresh is a row, a CALL row also
// exists for calls the original lost, and an answered call of 0 s has duration 0.0 instead of blank.

/** The original's record types. An unregistration is REGISTER with call_state UNREGISTERED. */
export type CdrRecordType = 'CALL' | 'REGISTER' | 'MESSAGE' | 'OPTIONS';
export const CDR_RECORD_TYPES: readonly CdrRecordType[] = ['CALL', 'REGISTER', 'MESSAGE', 'OPTIONS'];
/**
 * What DSP CDR TYPE= accepts: the record types, and UNREGISTER (IMS Lab's earlier type) for the
 * REGISTER rows of unregistrations and expiries.
 */
export const CDR_TYPE_FILTERS: readonly string[] = [...CDR_RECORD_TYPES, 'UNREGISTER'];

/**
 * CALL: ENDED, FAILED, CANCELLED (the caller's CANCEL, or RMV/CLR CALL or the appliance's stop before
 * the answer: the original wrote ENDED for an operator's end, answered or not). REGISTER: SUCCESS, UNREGISTERED, EXPIRED (new: the original never
 * recorded an expiry). MESSAGE: COMPLETED (2xx), FAILED (any other final answer). OPTIONS: COMPLETED.
 */
export type CdrCallState = (typeof CDR_CALL_STATES)[number];
/** The states IMS Lab records, calls' first (the console's State filter lists them). */
export const CDR_CALL_STATES = [
  'ENDED',
  'FAILED',
  'CANCELLED',
  'SUCCESS',
  'UNREGISTERED',
  'EXPIRED',
  'COMPLETED',
] as const;

export interface CdrRecord {
  // ── The original's 34 columns (§3.2) ─────────────────────────────────────────────────────────────
  /** YYYYmmddHHMMSS (local time of the commit) + a 6-digit counter; unique across restarts. */
  record_id: string;
  record_type: CdrRecordType;
  call_state: CdrCallState;
  /** YYYY-MM-DD of started_at, local time. */
  date: string;
  /** HH:MM:SS of started_at / ended_at. */
  start_time: string;
  end_time: string;
  /** CALL and REGISTER: the Call-ID. MESSAGE: `<Call-ID>-<CSeq>` as the original (e.g. `a@h-1 MESSAGE`). */
  call_id: string;
  /** From URI (REGISTER: the AOR), its user part, and where the request came from. */
  caller_uri: string;
  caller_number: string;
  caller_ip: string;
  caller_port: number | null;
  /** To URI, its user part, and where the request went (for a call: the answering UA). Blank for REGISTER. */
  callee_uri: string;
  callee_number: string;
  callee_ip: string;
  callee_port: number | null;
  /**
   * CALL: talk time, seconds from answer to end rounded to 0.01; null (blank) when never answered (the
   * original wrote start→end; a row imported from its day files keeps that). Others: null.
   */
  duration: number | null;
  /** CALL: seconds from INVITE to answer as the original wrote them, "0.50s"; '' when never answered. */
  setup_time: string;
  /** Final status of the INVITE / REGISTER / MESSAGE; null when there was none (an expiry, a shutdown). */
  status_code: number | null;
  status_text: string;
  /** CALL: Normal, User Cancelled, 486 Busy Here, FORCED_TERMINATION_BY_MML[_CLR_ALL] or _BY_SHUTDOWN; others ''. */
  termination_reason: string;
  /** HH:MM:SS.mmm of the INVITE, the first 18x, the 2xx and the end of an answered call. */
  invite_time: string;
  ringing_time: string;
  answer_time: string;
  bye_time: string;
  /** AUDIO, VIDEO, AUDIO+VIDEO... and the codec names joined by ", " (e.g. "PCMU, PCMA"). */
  call_type: string;
  codec: string;
  /** The caller's (registering UA's) User-Agent. */
  user_agent: string;
  /** REGISTER: the bound Contact. Others: '' (caller_contact has a caller's Contact). */
  contact: string;
  /** REGISTER SUCCESS: seconds granted. Others: null. */
  expires: number | null;
  /** MESSAGE: the first 500 characters of the body. */
  message_body: string;
  /** The proxy's own SIP address and port. */
  server_ip: string;
  server_port: number | null;
  /** The last CSeq, e.g. "2 BYE", "3 REGISTER", "1 MESSAGE". */
  cseq: string;
  /** IMS Lab's notes (the original never filled it): a transfer, `Authenticated as 1001` for a withheld From... */
  extra_info: string;

  // ── IMS Lab's columns ─────────────────────────────────────────────────────────────────────────────
  /** The row's start, ms since the epoch: INVITE, MESSAGE or OPTIONS received, or the registration event. */
  started_at: number;
  /** ms since the epoch: the call's end, a MESSAGE's or OPTIONS's final answer, a registration's event. */
  ended_at: number;
  /** ms since the epoch of the 2xx to the INVITE; null when never answered or not a call. */
  answered_at: number | null;
  /** Post-dial delay: ms from the INVITE to the first 18x (cf. RFC 6076 §4.1); null when it never rang. */
  pdd_ms: number | null;
  /** ms the phone rang: first 18x to answer (or to the end when unanswered); null when it never rang. */
  ring_ms: number | null;
  /** ms from answer to end (duration, unrounded); 0 when never answered; null when not a call. */
  talk_ms: number | null;
  /**
   * Who ended the call: caller, callee (its BYE, or any final failure it sent, its own 408 included),
   * operator, timeout (IMS Lab's timers: Timer C, a transaction timeout, the maximum duration) or system;
   * '' when not a call.
   */
  hangup_by: string;
  /** The audio direction of the last SDP answer (RFC 3264 §5.1, §8.4): sendrecv, or recvonly / sendonly / inactive on hold. */
  media_direction: string;
  /** The callee's Server/User-Agent (CALL) or the MESSAGE recipient's. */
  callee_user_agent: string;
  callee_contact: string;
  /** The INVITE's Request-URI as received. */
  request_uri: string;
  /**
   * REGISTER/UNREGISTER: the transport the binding was made over (UDP, TCP, TLS, WS, WSS); CALL and
   * MESSAGE: the caller's, then the callee's when it differs (e.g. WSS/UDP).
   */
  transport: string;
  /** MESSAGE: the body's Content-Type. */
  content_type: string;
  /** The Call-ID header exactly (call_id keeps the original's MESSAGE convention). */
  sip_call_id: string;
  /** CALL: ms from the INVITE to the answer (setup_time in ms); null when never answered. */
  setup_ms: number | null;
  /**
   * IMS Lab's own reason: Normal, User Cancelled, Ended by operator, Maximum call duration, No answer
   * (Timer C), System shutdown, 486 Busy Here...; REGISTER: Unregistered, Expired, Removed by operator,
   * User deleted; '' when the row is not an ending.
   */
  end_reason: string;
  /** The bare From and To URIs (CALL, MESSAGE, OPTIONS). */
  from_uri: string;
  to_uri: string;
  /**
   * REGISTER: the canonical AOR (sip:1001@ims.lab). CALL, MESSAGE: that of the user whose credentials
   * the request passed (who sent it, also when From is anonymous, RFC 3323); '' when not challenged.
   */
  aor: string;
  /** CALL: the caller's Contact URI. */
  caller_contact: string;
}

/** A record before the store numbers it. */
export type NewCdrRecord = Omit<CdrRecord, 'record_id'>;

/** How a column is stored: TEXT (never null, '' when empty), INTEGER or REAL (null when not applicable). */
export type CdrColumnKind = 'text' | 'integer' | 'real';

/** Every column in table/CSV order with its kind; `satisfies` makes a missing or extra column an error. */
export const CDR_COLUMN_KINDS = {
  record_id: 'text',
  record_type: 'text',
  call_state: 'text',
  date: 'text',
  start_time: 'text',
  end_time: 'text',
  call_id: 'text',
  caller_uri: 'text',
  caller_number: 'text',
  caller_ip: 'text',
  caller_port: 'integer',
  callee_uri: 'text',
  callee_number: 'text',
  callee_ip: 'text',
  callee_port: 'integer',
  duration: 'real',
  setup_time: 'text',
  status_code: 'integer',
  status_text: 'text',
  termination_reason: 'text',
  invite_time: 'text',
  ringing_time: 'text',
  answer_time: 'text',
  bye_time: 'text',
  call_type: 'text',
  codec: 'text',
  user_agent: 'text',
  contact: 'text',
  expires: 'integer',
  message_body: 'text',
  server_ip: 'text',
  server_port: 'integer',
  cseq: 'text',
  extra_info: 'text',
  started_at: 'integer',
  ended_at: 'integer',
  answered_at: 'integer',
  pdd_ms: 'integer',
  ring_ms: 'integer',
  talk_ms: 'integer',
  hangup_by: 'text',
  media_direction: 'text',
  callee_user_agent: 'text',
  callee_contact: 'text',
  request_uri: 'text',
  transport: 'text',
  content_type: 'text',
  sip_call_id: 'text',
  setup_ms: 'integer',
  end_reason: 'text',
  from_uri: 'text',
  to_uri: 'text',
  aor: 'text',
  caller_contact: 'text',
} as const satisfies Record<keyof CdrRecord, CdrColumnKind>;

export type CdrColumn = keyof CdrRecord;

/** All column names in order: the original's 34, then IMS Lab's. */
export const CDR_COLUMNS = Object.keys(CDR_COLUMN_KINDS) as readonly CdrColumn[];

/** How many of CDR_COLUMNS are the original server's. */
export const ORIGINAL_COLUMN_COUNT = 34;
