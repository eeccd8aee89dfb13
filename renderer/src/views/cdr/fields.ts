// What the CDR record panel calls each column of a record: a label in each language, with the column's
// own name beside it (the CSV header testers know), and the unit of the values that have one.
import type { CdrRecordData, Lang } from '../../../../core/control/contract';
import { zhCdrReason, zhCdrState, zhParty } from '../../../../core/mml/zh-cdr-reasons';
import { dateTimeMsOffset } from '../../components/local-time';

type Field = readonly [en: string, zh: string, unit?: string];

const FIELDS: Readonly<Record<string, Field>> = {
  record_id: ['Record ID', '记录 ID'],
  record_type: ['Type', '类型'],
  call_state: ['State', '状态'],
  date: ['Date', '日期'],
  start_time: ['Start', '开始时间'],
  end_time: ['End', '结束时间'],
  call_id: ['Call-ID (as the original wrote it)', 'Call-ID（原系统格式）'],
  caller_uri: ['Caller (From)', '主叫 (From)'],
  caller_number: ['Caller number', '主叫号码'],
  caller_ip: ['Caller address', '主叫地址'],
  caller_port: ['Caller port', '主叫端口'],
  callee_uri: ['Callee (To)', '被叫 (To)'],
  callee_number: ['Callee number', '被叫号码'],
  callee_ip: ['Callee address', '被叫地址'],
  callee_port: ['Callee port', '被叫端口'],
  duration: ['Duration', '时长', 's'],
  setup_time: ['Setup time', '建立时长'],
  status_code: ['Status code', '状态码'],
  status_text: ['Status text', '状态描述'],
  termination_reason: ['Termination reason (as the original wrote it)', '终止原因（原系统格式）'],
  invite_time: ['INVITE at', 'INVITE 时间'],
  ringing_time: ['Ringing at', '振铃时间'],
  answer_time: ['Answered at', '接听时间'],
  bye_time: ['BYE at', 'BYE 时间'],
  call_type: ['Call type', '呼叫类型'],
  codec: ['Codecs', '编解码'],
  user_agent: ['User agent', '用户代理'],
  contact: ['Contact', 'Contact'],
  expires: ['Expires', '有效期', 's'],
  message_body: ['Message body', '消息内容'],
  server_ip: ['Server address', '服务器地址'],
  server_port: ['Server port', '服务器端口'],
  cseq: ['CSeq', 'CSeq'],
  extra_info: ['Extra information', '附加信息'],
  started_at: ['Started', '开始'],
  ended_at: ['Ended', '结束'],
  answered_at: ['Answered', '接听'],
  pdd_ms: ['Post-dial delay', '接续时延', 'ms'],
  ring_ms: ['Ringing time', '振铃时长', 'ms'],
  talk_ms: ['Talk time', '通话时长', 'ms'],
  hangup_by: ['Hung up by', '挂断方'],
  media_direction: ['Media direction', '媒体方向'],
  callee_user_agent: ['Callee user agent', '被叫用户代理'],
  callee_contact: ['Callee contact', '被叫 Contact'],
  request_uri: ['Request-URI', 'Request-URI'],
  transport: ['Transport', '传输协议'],
  content_type: ['Content type', '内容类型'],
  sip_call_id: ['Call-ID', 'Call-ID'],
  // Beside setup_time (the original's "0.00s"): named apart, so that the panel has no two rows alike.
  setup_ms: ['Setup time (ms)', '建立时长（毫秒）', 'ms'],
  end_reason: ['End reason', '结束原因'],
  from_uri: ['From', 'From'],
  to_uri: ['To', 'To'],
  aor: ['Address of record', '注册地址 (AOR)'],
  caller_contact: ['Caller contact', '主叫 Contact'],
};

/** The label of a record's column in a language (the column's name when unknown). */
export function fieldLabel(key: string, lang: Lang): string {
  const f = FIELDS[key];
  return f === undefined ? key : lang === 'zh' ? f[1] : f[0];
}

/**
 * Columns whose words the console gives in the reader's language, as DSP CDR in Chinese does (the
 * stored value, in the CSV and the database, stays English).
 */
const WORDS: Readonly<Record<string, (text: string) => string>> = {
  call_state: zhCdrState,
  end_reason: zhCdrReason,
  termination_reason: zhCdrReason,
  hangup_by: zhParty,
};

/** A column's words in a language (see WORDS); any other column's value as it is. */
function inLang(key: string, text: string, lang: Lang): string {
  const words = WORDS[key];
  return lang === 'zh' && words !== undefined ? words(text) : text;
}

/** A record's state (call_state) as the list shows it: in Chinese, in DSP CDR's Result words. */
export function stateOf(r: CdrRecordData, lang: Lang): string {
  return inLang('call_state', String(r.call_state ?? ''), lang);
}

/**
 * A value as the panel shows it: times (ms since the epoch) on the server's clock with its UTC offset (a
 * fall-back night's two 01:30s differ), units after numbers.
 */
export function fieldValue(key: string, value: unknown, lang: Lang = 'en'): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return inLang(key, value, lang);
  if (typeof value === 'number' && key.endsWith('_at')) return dateTimeMsOffset(value);
  const unit = FIELDS[key]?.[2];
  return unit === undefined || typeof value !== 'number' ? String(value) : `${value} ${unit}`;
}

/**
 * The list's Reason, as DSP CDR's Reason column gives it: IMS Lab's end_reason (Maximum call duration,
 * Dialer stopped, a BYE's Reason header...), else the original's termination_reason (an imported row
 * has no end_reason). The list showed termination_reason alone, the original's few words: Normal for
 * every call the dialer's stop or the longest duration ended, where DSP CDR said why.
 */
export function reasonOf(r: CdrRecordData, lang: Lang): string {
  return r.end_reason
    ? inLang('end_reason', String(r.end_reason), lang)
    : inLang('termination_reason', String(r.termination_reason ?? ''), lang);
}

/** The Reason cell's tooltip: both columns, named, when they say different things. */
export function reasonTitle(r: CdrRecordData, lang: Lang): string | undefined {
  const end = String(r.end_reason ?? '');
  const original = String(r.termination_reason ?? '');
  if (end === '' || original === '' || end === original) return undefined;
  return [
    `${fieldLabel('end_reason', lang)}: ${inLang('end_reason', end, lang)}`,
    `${fieldLabel('termination_reason', lang)}: ${inLang('termination_reason', original, lang)}`,
  ].join('\n');
}
