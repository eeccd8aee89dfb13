// Pure translations of the SIP stack's domain events into CDR rows (original-server.md §3.2-3.3):
// a finished Call → one CALL row, a RegistrationEvent → a REGISTER row (SUCCESS, UNREGISTERED or
// EXPIRED), a MessageEvent → a MESSAGE row, an OptionsEvent → an OPTIONS row. The original's 34 columns
// get the original's values (record.ts); IMS Lab's own go to the extra columns. No I/O, no clock:
// everything comes from the event.
import { OPERATOR_CLEAR_ALL_REASON } from '../calls/call';
import type { Call, CallParty, MessageEvent, OptionsEvent } from '../calls/call';
import type { RegistrationEvent } from '../sip/registrar/binding';
import { reasonPhrase } from '../sip/message/status-codes';
import { otherAuthenticatedUser, uriUser } from '../sip/message/uri-user';
import { cdrDate, cdrTime, cdrTimeMs } from './clock-fields';
import type { CdrCallState, CdrRecord, NewCdrRecord } from './record';
import type { JournaledCall } from './live-call-changes';

/** The CDR's number columns' user of a URI (sip/message/uri-user.ts). */
export { uriUser };

/** The proxy's own SIP address (server_ip, server_port); registration events do not carry it. */
export interface ServerAddress {
  address: string;
  port: number;
}

/** Our address with the port of the listener for a transport (WS, WSS and TLS have their own). */
/** Our address and port as `peer` (an address) reaches us over `transport`. */
export type ServerFor = (transport?: string, peer?: string) => ServerAddress | undefined;

/** termination_reason of a call still up when the appliance stops (original §12 item 23: never lost). */
export const SHUTDOWN_REASON = 'System shutdown';
/**
 * end_reason of a call that was up when the appliance stopped uncleanly (kill -9, a power cut): written
 * at the next start from the journal of calls in progress (live-calls.ts). Its end is not known: the row
 * ends at the last moment the appliance was known to run. Original §12 item 23 again: never lost.
 */
export const UNCLEAN_STOP_REASON = 'Unclean stop';
/** termination_reason of such a row, in the style of the original's vocabulary (README, CDR). */
export const UNCLEAN_STOP_TERMINATION = 'UNCLEAN_SHUTDOWN';

/** The original-style termination_reason of a call the appliance's stop ended. */
export const SHUTDOWN_TERMINATION = 'FORCED_TERMINATION_BY_SHUTDOWN';

/**
 * What the row of a call the appliance's stop ended says, whoever sent its BYE or CANCEL: the proxy's
 * own end (callRecord), or the dialer's, ending its calls first as a user agent (README "Running
 * headless": their CDR rows say FORCED_TERMINATION_BY_SHUTDOWN). Its call_state is the row's own:
 * ENDED once answered, CANCELLED while it rang (the BYE or CANCEL the proxy saw), as an operator's end.
 */
export const SHUTDOWN_FIELDS = {
  termination_reason: SHUTDOWN_TERMINATION,
  end_reason: SHUTDOWN_REASON,
  hangup_by: 'system',
} as const satisfies Partial<NewCdrRecord>;

/**
 * The fields every row starts from: each type fills in its own. With record_id, empty until the store
 * numbers the row in place (SqliteCdrStore: every row then has one shape, and numbering copies nothing).
 */
export function blank(at: number): NewCdrRecord {
  const record: CdrRecord = {
    record_id: '',
    record_type: 'CALL',
    call_state: 'ENDED',
    date: cdrDate(at),
    start_time: cdrTime(at),
    end_time: cdrTime(at),
    call_id: '',
    caller_uri: '',
    caller_number: '',
    caller_ip: '',
    caller_port: null,
    callee_uri: '',
    callee_number: '',
    callee_ip: '',
    callee_port: null,
    duration: null,
    setup_time: '',
    status_code: null,
    status_text: '',
    termination_reason: '',
    invite_time: '',
    ringing_time: '',
    answer_time: '',
    bye_time: '',
    call_type: '',
    codec: '',
    user_agent: '',
    contact: '',
    expires: null,
    message_body: '',
    server_ip: '',
    server_port: null,
    cseq: '',
    extra_info: '',
    started_at: at,
    ended_at: at,
    answered_at: null,
    pdd_ms: null,
    ring_ms: null,
    talk_ms: null,
    hangup_by: '',
    media_direction: '',
    callee_user_agent: '',
    callee_contact: '',
    request_uri: '',
    transport: '',
    content_type: '',
    sip_call_id: '',
    setup_ms: null,
    end_reason: '',
    from_uri: '',
    to_uri: '',
    aor: '',
    caller_contact: '',
  };
  return record;
}

/** A port of 0 means "not known": written blank rather than as a real port. */
const port = (p: number): number | null => (p > 0 ? p : null);
/** A status code of 0 means "no final response". */
const status = (code: number): number | null => (code > 0 ? code : null);
const elapsed = (from: number, to: number): number => Math.max(0, to - from);

/** The transports of both sides: "UDP", or "WSS/UDP" when the caller's differs from the callee's. */
function transports(caller: { transport?: string }, callee: { transport?: string }): string {
  const a = caller.transport ?? '';
  const b = callee.transport ?? '';
  return a === b || b === '' ? a : a === '' ? b : `${a}/${b}`;
}

/** Ended by force: by the operator (RMV CALL, CLR CALL) or by the appliance stopping. */
const forced = (call: Readonly<Call>): boolean =>
  call.hangupBy === 'operator' || call.endReason === SHUTDOWN_REASON;

/**
 * call_state. A call ended by force (RMV CALL, CLR CALL, the appliance's stop) is ENDED once answered,
 * CANCELLED while it still rang: IMS Lab CANCELs it and the caller gets 487, as for the caller's own
 * CANCEL, so DSP CDR STAT's Calls section (Cancelled), STATE=CANCELLED and the state table all count it
 * alike. The original wrote ENDED either way (§1.2 #21, it sent nothing); termination_reason keeps its
 * words (FORCED_TERMINATION_BY_MML[_CLR_ALL], and IMS Lab's FORCED_TERMINATION_BY_SHUTDOWN).
 */
function callState(call: Readonly<Call>): CdrCallState {
  if (forced(call)) return call.answeredAt === undefined ? 'CANCELLED' : 'ENDED';
  if (call.state === 'failed') return 'FAILED';
  if (call.state === 'cancelled') return 'CANCELLED';
  return 'ENDED'; // ended, or a call still up that is being closed (shutdown)
}

function defaultReason(call: Readonly<Call>): string {
  if (call.state === 'cancelled') return 'User Cancelled';
  if (call.state === 'failed' && call.statusCode > 0) return `${call.statusCode} ${call.statusText}`.trim();
  return 'Normal';
}

/** The original's termination_reason vocabulary (§3.3); IMS Lab's own reason goes to end_reason. */
export function originalReason(call: Readonly<Call>): string {
  if (call.hangupBy === 'operator') {
    return call.endReason === OPERATOR_CLEAR_ALL_REASON
      ? 'FORCED_TERMINATION_BY_MML_CLR_ALL'
      : 'FORCED_TERMINATION_BY_MML';
  }
  // Ended by the appliance stopping, in the style of the forced ends above (the original wrote no row).
  if (call.endReason === SHUTDOWN_REASON) return SHUTDOWN_TERMINATION;
  // Up when it stopped uncleanly: recorded at the next start, its end unknown.
  if (call.endReason === UNCLEAN_STOP_REASON && call.hangupBy === 'system') return UNCLEAN_STOP_TERMINATION;
  if (call.state === 'cancelled') return 'User Cancelled';
  if (call.state === 'failed' && call.statusCode > 0) return `${call.statusCode} ${call.statusText}`.trim();
  return 'Normal';
}

/**
 * The original's setup_time: seconds with two decimals and an "s", rounded as its Python format and
 * migration 4's SQLite printf('%.2f') round (507 ms → "0.51s"; truncated, rows written live and rows
 * migrated said 0.50s and 0.51s of the same delay).
 */
export function setupTimeText(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

/** A To/From header value without its tag: the INVITE's To, although the call kept the 2xx's. */
function withoutTag(header: string): string {
  return header.replace(/;\s*tag\s*=\s*[^;]*/i, '');
}

/**
 * The CALL row of a finished call (CallEvent 'ended'). `at` is the event's time, used as the end when
 * the snapshot lacks endedAt. duration and talk_ms count from the answer (0 when never answered);
 * bye_time is set for an answered call only, as the original did.
 */
export function callRecord(call: Readonly<Call>, at: number = call.endedAt ?? call.startedAt): NewCdrRecord {
  const end = call.endedAt ?? at;
  const answered = call.answeredAt;
  const rang = call.ringingAt;
  const talk = answered === undefined ? 0 : elapsed(answered, end);
  const setup = answered === undefined ? null : elapsed(call.startedAt, answered);
  return {
    ...blank(call.startedAt),
    record_type: 'CALL',
    call_state: callState(call),
    end_time: cdrTime(end),
    call_id: call.callId,
    caller_uri: call.caller.header || call.caller.uri,
    caller_number: call.caller.number,
    caller_ip: call.caller.address,
    caller_port: port(call.caller.port),
    callee_uri: withoutTag(call.callee.header) || call.callee.uri,
    callee_number: call.callee.number,
    callee_ip: call.callee.address,
    callee_port: port(call.callee.port),
    transport: transports(call.caller, call.callee),
    duration: answered === undefined ? null : Math.round(talk / 10) / 100,
    setup_time: setup === null ? '' : setupTimeText(setup),
    // A cancelled call's is the 487 Request Terminated its caller got (RFC 3261 §9.2, §16.10), whether the
    // caller cancelled or IMS Lab did (RMV CALL, its stop): the original left it blank (its sample row, §3.4).
    status_code: status(call.statusCode),
    status_text: call.statusText,
    termination_reason: originalReason(call),
    invite_time: cdrTimeMs(call.startedAt),
    ringing_time: cdrTimeMs(rang),
    answer_time: cdrTimeMs(answered),
    bye_time: answered === undefined ? '' : cdrTimeMs(end),
    call_type: call.media.kinds.map((k) => k.toUpperCase()).join('+'),
    codec: call.media.codecs.join(', '),
    user_agent: call.caller.userAgent,
    server_ip: call.serverAddress,
    server_port: port(call.serverPort),
    cseq: call.cseq,
    ended_at: end,
    answered_at: answered ?? null,
    pdd_ms: rang === undefined ? null : elapsed(call.startedAt, rang),
    ring_ms: rang === undefined ? null : elapsed(rang, answered ?? end),
    talk_ms: talk,
    hangup_by: call.hangupBy ?? '',
    media_direction: call.media.direction,
    callee_user_agent: call.callee.userAgent,
    callee_contact: call.callee.contact,
    request_uri: call.requestUri,
    sip_call_id: call.callId,
    setup_ms: setup,
    end_reason: call.endReason || defaultReason(call),
    from_uri: call.caller.uri,
    to_uri: call.callee.uri,
    caller_contact: call.caller.contact,
    aor: call.authenticatedAs ?? '',
    extra_info: [identityInfo(call), transferInfo(call), mediaInfo(call)].filter(Boolean).join('; '),
  };
}

/** `Authenticated as 1001` when the From's number is not the authenticated user's, else ''. */
function authenticatedInfo(aor: string | undefined, fromNumber: string): string {
  const user = otherAuthenticatedUser(aor, fromNumber);
  return user === undefined ? '' : `Authenticated as ${user}`;
}

/**
 * Who placed the call when the From does not say (RFC 3323 §4.1.1.3 anonymous): the user whose
 * credentials the INVITE passed, e.g. `Authenticated as 1001` (the `aor` column has its AOR for every
 * authenticated call); and the P-Asserted-Identity (RFC 3325 §9.1) such an INVITE carried, as sent, or
 * as IMS Lab asserted it (PROXY.ASSERT_IDENTITY).
 */
function identityInfo(call: Readonly<Call>): string {
  if (call.authenticatedAs === undefined) return '';
  const parts = [
    authenticatedInfo(call.authenticatedAs, call.caller.number),
    call.assertedIdentity &&
      `P-Asserted-Identity ${call.assertedIdentity} ${call.identityAsserted ? '(asserted)' : '(as sent, not verified)'}`,
  ];
  return parts.filter(Boolean).join('; ');
}

/**
 * A call's transfer, in extra_info (the original never filled it): the REFER its parties accepted, and
 * for a transferee's new call who referred it, e.g. `Transferred to sip:1003@lab by callee (REFER)`, or
 * `Transfer to sip:1003@lab by callee failed: 404 Not Found (REFER)` when its NOTIFY said so; a
 * call an INVITE with Replaces took over names that call, and that call the one it replaced.
 */
function transferInfo(call: Readonly<Call>): string {
  const t = call.transfer;
  const parts = [
    t &&
      (t.failed === undefined
        ? `Transferred to ${t.to} by ${t.by} (${transferHow(t.attended)})`
        : `Transfer to ${t.to} by ${t.by} failed: ${t.failed} (${transferHow(t.attended)})`),
    call.referredBy && `Referred by ${call.referredBy}`,
    call.replacedBy && `Replaced by call ${call.replacedBy} (INVITE with Replaces, RFC 3891)`,
    call.replaces && `Replaces call ${call.replaces}`,
    call.retargetedTo && `Retargeted to ${call.retargetedTo} (the INVITE came back through IMS Lab)`,
  ];
  return parts.filter(Boolean).join('; ');
}

/** A call answered without media to read: `No media agreed: the 200 OK carries no SDP answer ...`. */
function mediaInfo(call: Readonly<Call>): string {
  const problem = call.mediaProblem;
  if (problem !== undefined) return `No media agreed: ${problem}`;
  return call.mediaNote === undefined ? '' : `Media: ${call.mediaNote}`;
}

function transferHow(attended: boolean): string {
  return attended ? 'attended, REFER with Replaces' : 'REFER';
}

/**
 * The CALL row of a call still up when the appliance stops: ENDED at `at` by the system once answered;
 * still ringing, CANCELLED (callState) with the 487 Request Terminated a CANCEL gets (RFC 3261 §9.2,
 * §16.10), as the row of a call RMV CALL or the stop's own CANCEL ended has it: it was left blank.
 */
export function shutdownCallRecord(call: Readonly<Call>, at: number): NewCdrRecord {
  const ringing = call.answeredAt === undefined;
  return callRecord(
    {
      ...call,
      ...(ringing ? { statusCode: 487, statusText: reasonPhrase(487) } : {}),
      state: 'ended',
      endedAt: at,
      endReason: SHUTDOWN_REASON,
      hangupBy: 'system',
    },
    at,
  );
}

/**
 * The CALL row of a call the journal of calls in progress still held at a start: the appliance stopped
 * uncleanly while it was up. State as last known: answered → ENDED (talk up to `aliveAt`); calling or
 * ringing → FAILED with no final status (no answer came, nobody cancelled it). It ends at `aliveAt`, the
 * last moment the appliance was known to run (never before what the snapshot already saw). The
 * extra_info the journal kept for it (a dialer call's `dialer campaign=C0001`) is its extra_info, as an
 * annotator's is in a row written at the call's end.
 */
export function uncleanStopCallRecord(call: Readonly<JournaledCall>, aliveAt: number): NewCdrRecord {
  const seen = Math.max(call.startedAt, call.ringingAt ?? 0, call.answeredAt ?? 0);
  const at = Math.max(aliveAt, seen);
  const answered = call.answeredAt !== undefined;
  const record = callRecord(
    {
      ...call,
      state: answered ? 'ended' : 'failed',
      statusCode: answered ? call.statusCode : 0,
      statusText: answered ? call.statusText : '',
      endedAt: at,
      endReason: UNCLEAN_STOP_REASON,
      hangupBy: 'system',
    },
    at,
  );
  if (call.extraInfo !== undefined) record.extra_info = call.extraInfo;
  return record;
}

const REMOVAL_REASONS: Record<NonNullable<RegistrationEvent['cause']>, string> = {
  unregister: 'Unregistered',
  operator: 'Removed by operator',
  'user-deleted': 'User deleted',
  'user-disabled': 'User disabled',
  'connection-closed': 'Connection closed',
};

/**
 * bound/refreshed → REGISTER SUCCESS (200 OK, expires = seconds granted); removed → REGISTER
 * UNREGISTERED (200 OK when the UA unregistered, RFC 3261 §10.2.2); expired → REGISTER EXPIRED, with
 * no status since no request was answered. Every refresh is a row of its own (§12 item 24). As the
 * original: caller_uri is the AOR as registered, an unregistration has no expires, server_ip or
 * termination_reason (end_reason says why).
 */
export function registrationRecord(e: RegistrationEvent, server?: ServerAddress): NewCdrRecord {
  const b = e.binding;
  const registered = e.type === 'bound' || e.type === 'refreshed';
  const answered = registered || (e.type === 'removed' && (e.cause ?? 'unregister') === 'unregister');
  let reason = '';
  if (e.type === 'expired') reason = 'Expired';
  else if (e.type === 'removed') reason = REMOVAL_REASONS[e.cause ?? 'unregister'];
  const withServer = registered && server !== undefined;
  return {
    ...blank(e.at),
    record_type: 'REGISTER',
    call_state: registered ? 'SUCCESS' : e.type === 'expired' ? 'EXPIRED' : 'UNREGISTERED',
    call_id: e.request?.callId ?? b.callId,
    caller_uri: b.registeredAor ?? b.aor,
    caller_number: uriUser(b.aor),
    caller_ip: b.sourceAddress,
    caller_port: port(b.sourcePort),
    status_code: answered ? 200 : null,
    status_text: answered ? 'OK' : '',
    user_agent: b.userAgent,
    contact: b.contact,
    expires: registered ? Math.max(0, Math.round((b.expiresAt - e.at) / 1000)) : null,
    server_ip: withServer ? server.address : '',
    server_port: withServer ? port(server.port) : null,
    // The last update's: an unregistration's own request (§3.2), else the binding's.
    cseq: `${e.request?.cseq ?? b.cseq} REGISTER`,
    transport: b.transport,
    sip_call_id: e.request?.callId ?? b.callId,
    end_reason: reason,
    aor: b.aor,
  };
}

/** A MESSAGE's or an OPTIONS's row state: COMPLETED on a 2xx, else FAILED with the answer as its reason. */
function outcome(status: number, text: string): Pick<NewCdrRecord, 'call_state' | 'end_reason'> {
  const ok = status >= 200 && status < 300;
  return {
    call_state: ok ? 'COMPLETED' : 'FAILED',
    end_reason: ok || status <= 0 ? '' : `${status} ${text}`.trim(),
  };
}

/**
 * A MESSAGE (RFC 3428) with its real final answer: COMPLETED for a 2xx, FAILED otherwise (the original
 * wrote 200 COMPLETED before any answer, §12 item 25). call_id is `<Call-ID>-<CSeq>` as the original's.
 */
export function messageRecord(e: MessageEvent): NewCdrRecord {
  return {
    ...blank(e.sentAt),
    end_time: cdrTime(e.at),
    ended_at: e.at,
    record_type: 'MESSAGE',
    ...outcome(e.statusCode, e.statusText),
    call_id: `${e.callId}-${e.cseq}`,
    caller_uri: e.from.header || e.from.uri,
    caller_number: e.from.number,
    caller_ip: e.from.address,
    caller_port: port(e.from.port),
    callee_uri: e.to.header || e.to.uri,
    callee_number: e.to.number,
    callee_ip: e.to.address,
    callee_port: port(e.to.port),
    transport: transports(e.from, e.to),
    status_code: status(e.statusCode),
    status_text: e.statusText,
    user_agent: e.from.userAgent,
    message_body: e.body, // whole: the proxy bounds it (message-text.ts)
    server_ip: e.serverAddress,
    server_port: port(e.serverPort),
    cseq: e.cseq,
    callee_user_agent: e.to.userAgent,
    callee_contact: e.to.contact,
    content_type: e.contentType,
    sip_call_id: e.callId,
    from_uri: e.from.uri,
    to_uri: e.to.uri,
    caller_contact: e.from.contact,
    // Who sent it, as for a call (identityInfo): also when From withholds it (RFC 3323).
    aor: e.authenticatedAs ?? '',
    extra_info: authenticatedInfo(e.authenticatedAs, e.from.number),
  };
}

/**
 * An OPTIONS IMS Lab answered or relayed to a user (§3.3: the original wrote one for every OPTIONS,
 * keepalives included):
 * COMPLETED with the answer's status, raw From/To, no server_ip (as the original). One refused (420 for
 * a Require it cannot meet) is FAILED with its reason, as a MESSAGE is.
 */
export function optionsRecord(e: OptionsEvent): NewCdrRecord {
  return {
    // From its arrival to its answer, as a MESSAGE: a relayed one may wait 32 s for Timer F (§17.1.2.2).
    ...blank(e.sentAt),
    end_time: cdrTime(e.at),
    ended_at: e.at,
    record_type: 'OPTIONS',
    ...outcome(e.statusCode, e.statusText),
    call_id: e.callId,
    ...partyColumns('caller', e.from),
    ...partyColumns('callee', e.to),
    status_code: status(e.statusCode),
    status_text: e.statusText,
    user_agent: e.from.userAgent,
    callee_user_agent: e.to.userAgent,
    cseq: e.cseq,
    sip_call_id: e.callId,
    from_uri: e.from.uri,
    to_uri: e.to.uri,
    caller_contact: e.from.contact,
    // server_ip and server_port stay blank, as the original left them on OPTIONS rows (§3.3).
    transport: e.from.transport ?? '',
  };
}

function partyColumns(
  side: 'caller' | 'callee',
  p: CallParty,
):
  | Pick<NewCdrRecord, 'caller_uri' | 'caller_number' | 'caller_ip' | 'caller_port'>
  | Pick<NewCdrRecord, 'callee_uri' | 'callee_number' | 'callee_ip' | 'callee_port'> {
  const values = { uri: p.header || p.uri, number: p.number, ip: p.address, port: port(p.port) };
  return side === 'caller'
    ? { caller_uri: values.uri, caller_number: values.number, caller_ip: values.ip, caller_port: values.port }
    : {
        callee_uri: values.uri,
        callee_number: values.number,
        callee_ip: values.ip,
        callee_port: values.port,
      };
}
