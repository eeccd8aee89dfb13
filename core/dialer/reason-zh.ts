// The dialer's own words for how a call ended, in Chinese: its reasons (no answer, ended by the operator,
// what an SDP answer lacks), its notes, who ended a call, and what an uploaded prompt holds. DSP DIALSVC's results table in 中文 and the
// console's Dialer view read them here. A SIP reason phrase from the far end ("Busy Here") is data and
// stays as it came, as in the CDR. Looked up as own keys only: a reason phrase is the far end's text,
// and "constructor" or "toString" must not find Object.prototype's members.
import { zhMediaNote } from './media-notes';
import { ZH_PORT_CAP } from './port-cap';
import { ZH_WAITING } from './waiting-note';

const REASONS: Readonly<Record<string, string>> = {
  Normal: '正常结束',
  'No answer': '无应答',
  'no final answer to the INVITE': '未收到 INVITE 的最终应答',
  'Ended by operator': '操作员结束',
  'Dialer stopped': '外呼服务已停止',
  'User agent stopped': '用户代理已停止',
  'No ACK': '未收到 ACK',
  'the answer has no SDP': '应答中没有 SDP',
  'the answer accepts no audio stream': '应答未接受任何音频流',
  'the answer has no connection address': '应答中没有连接地址',
  'the answer accepts neither PCMU nor PCMA': '应答既不接受 PCMU 也不接受 PCMA',
  "the answer's m= lines do not match the offer's": '应答的 m= 行与提议的不对应',
  'DTMF not sent: the answer offers no telephone-event': '未发送 DTMF: 应答未提供 telephone-event',
  'no RTP received from the far end (one-way audio)': '未收到对端的 RTP（单向通话）',
};

const MALFORMED = "the answer's SDP is malformed: ";
/** dialer-call.ts unlistedDtmf. */
const UNLISTED_DTMF = /^DTMF (\S+) not sent: the answer's telephone-event lists events (\S+) only$/;
/** media/port-pool.ts, for a range of no pair at all (calls otherwise wait for a pair). */
const NO_PORT_PAIR =
  /^no free RTP port pair in (\d+)-(\d+) \((\d+) in use(?:, (\d+) held by another program)?\)$/;
/** outbound-call.ts noAckNote. */
const NO_ACK = /^no ACK for the 200 to the far end's re-INVITE in (\S+) s \(64\*T1\): ended with BYE$/;
/** sip/ua/hop.ts ownContact. */
const OWN_CONTACT = /^the 2xx's Contact (\S+) is the dialer's own address: no ACK or BYE sent to it$/;
/** A campaign's Note when the appliance's stop cut it (dialer.ts stopCampaigns). */
const INTERRUPTED = /^Interrupted by shutdown: (\d+) of (\d+) placed$/;
/** A campaign's Note when an operator stopped it (dialer.ts stopCampaigns). */
const STOPPED_BY = /^Stopped by (.*) \((STP CALL|STP DIALSVC)\): (\d+) of (\d+) placed$/;
/** A campaign's Note when its account's credentials were refused (campaign.ts halt). */
const REFUSED = /^Stopped: the account (.*)'s credentials were refused \((.*)\); (\d+) of (\d+) placed$/;

/** A reason or note of the dialer in Chinese; anything else (a SIP reason phrase) as it is. */
export function zhDialerReason(text: string): string {
  if (Object.hasOwn(REASONS, text)) return REASONS[text]!;
  // A campaign's Notes (one of them holds "; " of its own).
  const cut = INTERRUPTED.exec(text);
  if (cut !== null) return `因系统停止而中断: 已发起 ${cut[1]} / ${cut[2]}`;
  const by = STOPPED_BY.exec(text);
  if (by !== null) return `已由 ${by[1]} 停止（${by[2]}）: 已发起 ${by[3]} / ${by[4]}`;
  const refused = REFUSED.exec(text);
  if (refused !== null)
    return `已停止: 账号 ${refused[1]} 的凭据被拒绝（${refused[2]}）；已发起 ${refused[3]} / ${refused[4]}`;
  const [waiting, zhWaiting] = ZH_WAITING;
  const wait = waiting.exec(text);
  if (wait !== null) return zhWaiting(wait[1]!);
  // A campaign's port cap, alone or before what ended it (campaign.ts), that Note whole: the refused
  // credentials' holds "; " of its own, and split there it stayed in English.
  const [capped, zhCapped] = ZH_PORT_CAP;
  const capEnd = text.indexOf('; ');
  const cap = capped.exec(capEnd < 0 ? text : text.slice(0, capEnd));
  if (cap !== null) {
    const zhCap = zhCapped(...cap.slice(1));
    return capEnd < 0 ? zhCap : `${zhCap}；${zhDialerReason(text.slice(capEnd + 2))}`;
  }
  // A result's notes, joined (dialer-call.ts).
  if (text.includes('; ')) return text.split('; ').map(zhDialerReason).join('；');
  const media = zhMediaNote(text);
  if (media !== undefined) return media;
  const unlisted = UNLISTED_DTMF.exec(text);
  if (unlisted !== null)
    return `未发送 DTMF ${unlisted[1]}: 应答的 telephone-event 只列出事件 ${unlisted[2]}`;
  const noAck = NO_ACK.exec(text);
  if (noAck !== null) return `对端 re-INVITE 的 200 在 ${noAck[1]} 秒（64*T1）内未收到 ACK: 已用 BYE 结束`;
  const own = OWN_CONTACT.exec(text);
  if (own !== null) return `2xx 的 Contact ${own[1]} 是外呼自身的地址: 未向其发送 ACK 或 BYE`;
  if (text.startsWith(MALFORMED)) return `应答的 SDP 格式错误: ${text.slice(MALFORMED.length)}`;
  const ports = NO_PORT_PAIR.exec(text);
  if (ports !== null) {
    const held = ports[4] === undefined ? '' : `，${ports[4]} 对被其他程序占用`;
    return `${ports[1]}-${ports[2]} 中没有空闲的 RTP 端口对（${ports[3]} 对在用${held}）`;
  }
  return text;
}

const LAYOUTS: Readonly<Record<string, string>> = { mono: '单声道', stereo: '立体声' };

/** What a prompt held (media/wav.ts Prompt.source: 'PCM 16-bit 8000 Hz mono') in Chinese. */
export function zhPromptSource(source: string): string {
  const m = /^(PCM 16-bit|µ-law|A-law) (\d+) Hz (mono|stereo)$/.exec(source);
  if (m === null) return source;
  const format = m[1] === 'PCM 16-bit' ? '16 位 PCM' : m[1]!;
  return `${format} ${m[2]} Hz ${LAYOUTS[m[3]!]!}`;
}

const ENDS: Readonly<Record<string, string>> = {
  local: '本端',
  remote: '对端',
  cancelled: '已取消',
  failed: '失败',
};

/** Who ended a call (CallResult.end) in Chinese. */
export function zhDialerEnd(end: string): string {
  return Object.hasOwn(ENDS, end) ? ENDS[end]! : end;
}
