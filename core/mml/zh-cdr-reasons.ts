// IMS Lab's own words for why a CDR row ended (its end_reason, shown in DSP CDR's Reason column), in
// Chinese. They come from core/cdr/from-events.ts (registrations: REMOVAL_REASONS, 'Expired',
// SHUTDOWN_REASON, UNCLEAN_STOP_REASON), core/calls/call.ts (OPERATOR_*_REASON) and core/sip/proxy/call-tracker.ts
// (NO_ACK_REASON, CONNECTION_CLOSED_REASON, 'Maximum call duration', 'No answer (Timer C)') and
// sip/proxy/session-expires.ts (SESSION_EXPIRED_REASON); the unit
// test holds them to those constants. What a peer said (a SIP reason phrase, a BYE's or CANCEL's Reason
// header, RFC 3326) and the original's termination_reason words ('User Cancelled', original-server.md
// §3.3) are data and stay as they came.
import type { HangupBy } from '../calls/call';
import { zhDialerReason } from '../dialer/reason-zh';

const REASONS: Readonly<Record<string, string>> = {
  // Registrations (REGISTER UNREGISTERED / EXPIRED rows).
  Unregistered: '已注销',
  Expired: '已过期',
  'Removed by operator': '操作员删除',
  'User deleted': '用户已删除',
  'User disabled': '用户已停用',
  'Connection closed': '连接已关闭',
  // Calls IMS Lab ended itself.
  'Ended by operator (CLR CALL)': '操作员结束（CLR CALL）',
  'System shutdown': '系统关闭',
  'Unclean stop': '非正常停止',
  'No ACK for the 2xx': '未收到 2xx 响应的 ACK',
  'WebSocket closed': 'WebSocket 连接已关闭',
  'Maximum call duration': '超过最长通话时长',
  'No answer (Timer C)': '无应答（定时器 C）',
  'Session expired (no refresh, RFC 4028)': '会话超时（未刷新，RFC 4028）',
};

/**
 * IMS Lab's own note after the reason phrase of a final response the proxy made itself
 * (sip/proxy/response-context.ts: 408 when Timer C fired or no branch answered, 500 when the next hop was
 * unreachable), the next hop it names kept as it is. The phrase itself ("Request Timeout", RFC 3261 §21)
 * stays as sent.
 */
const PROXY_NOTES: Readonly<Record<string, string>> = {
  'no final answer': '无最终应答',
  'no answer': '无应答',
  'next hop unreachable': '下一跳不可达',
};
const PROXY_NOTE = /^(.+) \((no final answer|no answer|next hop unreachable)(?:: (.+))?\)$/;

/** A CDR row's end reason in Chinese: IMS Lab's and the dialer's own words; anything else as it is. */
export function zhCdrReason(text: string): string {
  if (Object.hasOwn(REASONS, text)) return REASONS[text]!;
  const note = PROXY_NOTE.exec(text);
  if (note !== null)
    return `${note[1]}（${PROXY_NOTES[note[2]!]}${note[3] === undefined ? '' : `：${note[3]}`}）`;
  return zhDialerReason(text);
}

/** DSP CDR's Result words (commands/cdr.ts cdrResult), as the original's Chinese DSP CDR showed them. */
const RESULTS: Readonly<Record<string, string>> = {
  Answered: '已接听',
  Failed: '失败',
  Cancelled: '已取消',
  Expired: '已过期',
  Unregistered: '已注销',
};

/**
 * DSP CDR's Result in Chinese: 已接听 (200), 失败 (486), 已取消 (original-server.md §1.2 #10); a SIP
 * status line (a REGISTER's 200 OK) stays as it came.
 */
export function zhCdrResult(cell: string): string {
  const m = /^(Answered|Failed|Cancelled|Expired|Unregistered)( \(\d+\))?$/.exec(cell);
  return m === null ? cell : `${RESULTS[m[1]!]}${m[2] ?? ''}`;
}

/**
 * A CDR row's call_state (cdr/record.ts CdrCallState) in Chinese, in the Result's words where they name
 * the same outcome, for the console's State column; the stored value stays English (CSV, database).
 */
const STATES: Readonly<Record<string, string>> = {
  ENDED: '已结束',
  FAILED: RESULTS.Failed!,
  CANCELLED: RESULTS.Cancelled!,
  SUCCESS: '注册成功',
  UNREGISTERED: RESULTS.Unregistered!,
  EXPIRED: RESULTS.Expired!,
  COMPLETED: '已完成',
};

/** A CDR row's state in Chinese; an unknown one (an imported row's) as it is. */
export function zhCdrState(state: string): string {
  return Object.hasOwn(STATES, state) ? STATES[state]! : state;
}

/** Who ended a call (calls/call.ts HangupBy: a CDR row's hangup_by, DSP CALL's On hold by) in Chinese. */
const PARTIES: Readonly<Record<HangupBy, string>> = {
  caller: '主叫',
  callee: '被叫',
  operator: '操作员',
  timeout: '超时',
  system: '系统',
};

/** A party (hangup_by, On hold by) in Chinese; anything else (an imported row's) as it is. */
export function zhParty(party: string): string {
  return Object.hasOwn(PARTIES, party) ? PARTIES[party as HangupBy] : party;
}
