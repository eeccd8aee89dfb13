// Chinese for what MML says about parameters (lang.ts, help.ts): each parameter's HELP description, keyed
// by its English help text exactly as the commands declare it; the parameter types; and what a type
// allows (params.ts allowed(), also quoted in "expected ..., got ..." errors). Parameter names, values
// and examples stay as they are.
import type { MmlParamType } from './command';

/** Parameter descriptions by their English help text. */
export const ZH_PARAM_HELP: Readonly<Record<string, string>> = {
  // Common
  'YES to carry out this command, which cannot be undone': 'YES 表示确认执行此命令（不可撤销）',
  'Not needed here (taken as on the other RMV commands)': '此处不需要（与其他 RMV 命令一样可以给出）',
  'How many rows to show': '显示的行数',
  'How many rows to skip (paging: the next page starts at OFFSET+LIMIT)':
    '跳过的行数（分页: 下一页从 OFFSET+LIMIT 开始）',
  // HELP
  'A command to describe, e.g. "DSP USER", a verb such as DSP, or HOTKEY (the terminal keys)':
    '要查看的命令，如 "DSP USER"，或动词如 DSP，或 HOTKEY（终端快捷键）',
  'A parameter name: lists the commands that take it': '参数名: 列出带此参数的命令',
  // Users
  'Show this user only (exact name; the other parameters are then ignored)':
    '只显示此用户（精确匹配用户名；此时忽略其他参数）',
  'Only users with this status': '只显示此状态的用户',
  'Only users whose name, display name, phone or e-mail contains this':
    '只显示用户名、显示名称、电话号码或邮箱包含此文本的用户',
  'Only usernames starting with this, e.g. 10': '只显示以此开头的用户名，如 10',
  'User name (the SIP user part): A-Z a-z 0-9 . _ + -, e.g. 1001':
    '用户名（SIP URI 的用户部分）: A-Z a-z 0-9 . _ + -，如 1001',
  'Digest password, stored encrypted': '摘要认证密码，加密存储',
  'Display name (default 用户<username>)': '显示名称（缺省为 用户<用户名>）',
  'Phone number: 0-9 + * # ( ) - and spaces': '电话号码: 0-9 + * # ( ) - 和空格',
  'E-mail address, like name@example.com': '邮箱地址，如 name@example.com',
  'Account status; only ACTIVE users may register and call': '账号状态；只有 ACTIVE 的用户可以注册和呼叫',
  'Service class': '服务类型',
  "Only if the user's Updated time is still this (as DSP USER shows it): refused if changed since":
    '仅当用户的更新时间仍为此值时修改（与 DSP USER 所示相同）：其后已被修改则拒绝',
  "Only if the setting's value is still this (as DSP CFG shows it): refused if changed since":
    '仅当配置项的值仍为此值时修改（与 DSP CFG 所示相同）：其后已被修改则拒绝',
  "Only if SIP.TLS_KEY's value is still this (as DSP CFG shows it): refused if changed since":
    '仅当 SIP.TLS_KEY 的值仍为此值时修改（与 DSP CFG 所示相同）：其后已被修改则拒绝',
  'The file to import, in the data folder (relative to it, or absolute inside it)':
    '要导入的文件，须在数据目录中（相对于数据目录，或数据目录内的绝对路径）',
  'AUTO: by the extension (.json, .csv), else by the content':
    'AUTO: 按扩展名（.json、.csv）判断，否则按文件内容判断',
  'ADD refuses users that exist; UPSERT updates them (password included)':
    'ADD: 拒绝导入已存在的用户；UPSERT: 更新已存在的用户（包括密码）',
  // Registrations
  'The user whose registrations these are (user part of the AOR), e.g. 1001':
    '注册所属的用户（AOR 的用户部分），如 1001',
  'The AOR (canonical, e.g. sip:1001@ims.lab, or as the phone registered it), a contact URI, or without @ and sip: a part of the AOR (URI=1001); tel:+4930123, sip:%2B4930123@ims.lab and a public GRUU name it as SIP routing does; so does the server address, with or without its port':
    'AOR（规范形式如 sip:1001@ims.lab，或终端注册时使用的形式）、Contact URI，或不带 @ 和 sip: 时为 AOR 的一部分（URI=1001）；tel:+4930123、sip:%2B4930123@ims.lab 及公共 GRUU 按 SIP 路由的方式指向该 AOR，服务器自身地址（带或不带端口）亦然',
  'The address locked out, e.g. 192.168.1.20; an IPv6 one: its /64 as DSP LOCKOUT lists it (2001:db8::/64), or any address in it':
    '被锁定的地址，如 192.168.1.20；IPv6 地址：DSP LOCKOUT 所列的 /64（2001:db8::/64），或其中任一地址',
  'The user name locked out, e.g. 1001': '被锁定的用户名，如 1001',
  // Configuration, log, system
  'Only this category': '只显示此类别',
  'Only keys containing this, e.g. EXPIRES or LOG.LEVEL': '只显示包含此文本的配置项，如 EXPIRES 或 LOG.LEVEL',
  'The setting, e.g. LOG.LEVEL (the default; DSP CFG lists them)':
    '配置项，如 LOG.LEVEL（缺省即为它；DSP CFG 列出所有配置项）',
  'The new value, checked against the setting': '新值，按配置项的取值范围检查',
  'With KEY=SIP.TLS_CERT: its private key, set in the same command (both "": the data folder\'s certificate)':
    '与 KEY=SIP.TLS_CERT 一起使用: 其私钥，在同一条命令中设置（两者都为 "": 使用数据目录中的证书）',
  "With KEY= another of the dialer's ports: DIALER.LOCAL_PORT, set in the same command, the ports checked together":
    '与 KEY= 给出的另一个外呼端口一起使用: DIALER.LOCAL_PORT，在同一条命令中设置，各端口一并检查',
  "With KEY= another of the dialer's ports: DIALER.RTP_PORT_MIN, set in the same command, the ports checked together":
    '与 KEY= 给出的另一个外呼端口一起使用: DIALER.RTP_PORT_MIN，在同一条命令中设置，各端口一并检查',
  "With KEY= another of the dialer's ports: DIALER.RTP_PORT_MAX, set in the same command, the ports checked together":
    '与 KEY= 给出的另一个外呼端口一起使用: DIALER.RTP_PORT_MAX，在同一条命令中设置，各端口一并检查',
  'The lowest level logged': '记录日志的最低级别',
  'Only records at this level or above': '只显示此级别及以上的日志',
  "Read that day's file, logs/<date>/ims-sip-server.log": '读取该日的日志文件 logs/<日期>/ims-sip-server.log',
  'Only records whose text or source contains this (any case)':
    '只显示内容或来源包含此文本的日志（不区分大小写）',
  'Only the commands of this operator: a name (admin) from any address, or name@address exactly':
    '只显示此操作员执行的命令: 只写名字（WHO=admin）则不论来自哪个地址，写 名字@地址 则精确匹配',
  'Paging: only records older than this place (the answer of the previous page gives the command)':
    '分页：只显示此位置之前的更早日志（上一页的回答给出下一页的命令）',
  'Only the commands numbered below this (the page before one whose first No. it is)':
    '只显示编号小于此值的命令（其首条编号为此值的那一页之前的一页）',
  // Calls
  'The call: its ID as DSP CALL shows it, or its Call-ID (or a part of it, in any case)':
    '呼叫: DSP CALL 显示的 ID，或其 Call-ID（或其中一段，不区分大小写）',
  'Only calls from this number or URI, e.g. 1001': '只显示来自此号码或 URI 的呼叫，如 1001',
  'Only calls to this number or URI, e.g. 1002': '只显示呼往此号码或 URI 的呼叫，如 1002',
  'Only calls in this state': '只显示此状态的呼叫',
  // CDR
  'The day of the records (the call start date)': '记录的日期（呼叫开始日期）',
  'Only records of this type (UNREGISTER: the REGISTER rows of unregistrations and expiries)':
    '只显示此类型的记录（UNREGISTER: 注销和过期产生的 REGISTER 记录）',
  'Only records from this number': '只显示来自此号码的记录',
  'Only records to this number': '只显示呼往此号码的记录',
  'Only records of this Call-ID (or, when none is that exactly, of those containing it, in any case)':
    '只显示此 Call-ID 的记录（没有完全相同的时，显示包含它的，不区分大小写）',
  'Only records in this state, in any case: ENDED, FAILED, CANCELLED (calls), SUCCESS, UNREGISTERED, EXPIRED (registrations), COMPLETED':
    '只显示此状态的记录，不区分大小写：ENDED、FAILED、CANCELLED（呼叫），SUCCESS、UNREGISTERED、EXPIRED（注册），COMPLETED',
  'Only the calls of this dialer campaign, e.g. C0001': '只显示此外呼任务的呼叫，如 C0001',
  'Paging: only records older than this record ID (the message of the previous page gives it)':
    '分页: 只显示早于此记录编号的记录（上一页的消息中给出）',
  'The file format': '文件格式',
  'Delete the records dated strictly before this day (at most today − 7 days)':
    '删除早于此日期的记录（不含当天，最晚为今天 − 7 天）',
  'YES: delete every record, whatever its date': 'YES: 删除所有记录，不论日期',
  // Performance
  'Which figures': '要显示的指标',
  'Also list this many of the latest samples (one a second), oldest first':
    '同时列出最近的若干个采样（每秒一个），最早的在前',
  // Dialer
  'A campaign id, e.g. C0001 (default: all)': '外呼任务编号，如 C0001（缺省: 全部）',
  'The number to call, e.g. 1009': '被叫号码，如 1009',
  'The WAV file played once answered (default: DIALER.MEDIA_FILE, media/default.wav)':
    '接听后播放的 WAV 文件（缺省: DIALER.MEDIA_FILE，即 media/default.wav）',
  'Seconds of media before hanging up, decimals allowed (2.5), as the original took them; 0: the whole file':
    '挂机前播放的秒数，可带小数（2.5），与原系统一致；0: 播放整个文件',
  'Digits sent as RFC 4733 events 1 s after the answer, e.g. 123#':
    '接听 1 秒后以 RFC 4733 事件发送的按键，如 123#',
  'YES: record what the far end sends, one WAV per call under recordings/':
    'YES: 录制对端发来的媒体，每个呼叫一个 WAV 文件，保存在 recordings/ 下',
  'The numbers to call: a comma list and/or ranges (up to 100,000 numbers), e.g. 1001,1003-1005':
    '被叫号码: 逗号分隔的列表和/或号段（最多 100,000 个号码），如 1001,1003-1005',
  'A CSV file of numbers (first column; ranges allowed), relative to the data folder':
    '号码 CSV 文件（第一列；可用号段），相对于数据目录',
  'Calls at the same time (default: DIALER.CONCURRENCY)': '同时进行的呼叫数（缺省: DIALER.CONCURRENCY）',
  'New calls per second (default: DIALER.RATE)': '每秒新发起的呼叫数（缺省: DIALER.RATE）',
  // Trace
  'The Call-ID of a dialog, or a part of it in any case ("": messages without one)':
    '会话的 Call-ID，或其中一部分（不区分大小写；"": 没有 Call-ID 的消息）',
  'A Request-URI, From or To user part': 'Request-URI、From 或 To 的用户部分',
  'A request method seen in the dialog': '会话中出现过的请求方法',
  'A response class seen in the dialog: 1XX to 6XX': '会话中出现过的响应类别: 1XX 到 6XX',
  "The class of the dialog's final answer: 1XX to 6XX (FINAL=4XX: calls that failed, not those challenged)":
    '会话最终应答的类别: 1XX 到 6XX（FINAL=4XX: 失败的呼叫，而非仅被鉴权挑战的呼叫）',
  'An IP address a message came from or went to, or address:port as the ladder shows it (127.0.0.1:5060, [::1]:5060)':
    '消息的来源或目的 IP 地址，或如时序图所示的 地址:端口（127.0.0.1:5060, [::1]:5060）',
  'Only dialogs with messages at or after this time (2026-12-02T13:45)':
    '只显示在此时间及之后有消息的会话（2026-12-02T13:45）',
  'Only dialogs with messages at or before this time': '只显示在此时间及之前有消息的会话',
  'A text its Call-ID or a message of it held in memory holds, in any case (a number, a User-Agent); in trace.db its Call-ID or users':
    '会话的 Call-ID 或其内存中某条消息包含的文字，不区分大小写（如号码、用户代理）；trace.db 中只查 Call-ID 与用户',
  'Only calls, registrations, MESSAGEs, others or malformed':
    '只显示呼叫、注册、MESSAGE、其他或格式错误的会话',
  'pcap file or text ladder and messages': 'pcap 文件，或文本格式的信令流程图和消息',
  'ON: also keep every message in trace.db': 'ON: 同时把每条消息保存到 trace.db',
  'Messages kept in memory (0: the trace is off)': '内存中保留的消息数（0: 关闭信令跟踪）',
  'Memory the kept messages may take (MB)': '保留的消息最多占用的内存 (MB)',
  'Days trace.db keeps a message': 'trace.db 中消息的保留天数',
  'Largest size of the messages in trace.db (MB)': 'trace.db 中消息的最大总大小 (MB)',
  'host:port of a HEPv3 collector, or OFF': 'HEPv3 采集器的 host:port，或 OFF',
};

/** A parameter's description in Chinese, or the English one when there is none. */
export function zhParamHelp(english: string): string {
  return Object.hasOwn(ZH_PARAM_HELP, english) ? ZH_PARAM_HELP[english]! : english;
}

/** Parameter types as HELP's Type column names them. */
export const ZH_PARAM_TYPES: Readonly<Record<MmlParamType, string>> = {
  string: '字符串',
  integer: '整数',
  number: '数值',
  enum: '枚举',
  date: '日期',
  ip: 'IP 地址',
  boolean: '布尔',
};

type Pattern = readonly [RegExp, (...groups: string[]) => string];

/** What an integer setting counts (setting-refusal.ts SettingUnit), in "1 到 86400 之间的整数（秒）". */
const ZH_UNITS: Readonly<Record<string, string>> = {
  milliseconds: '毫秒',
  seconds: '秒',
  days: '天',
  bytes: '字节',
  MB: 'MB',
  connections: '连接数',
  calls: '呼叫数',
  'calls a second': '每秒呼叫数',
  failures: '失败次数',
  bindings: '绑定数',
  messages: '消息数',
};

/** What a parameter or setting allows (params.ts allowed(), settings' coerce), whole text. */
const ALLOWED: readonly Pattern[] = [
  [/^an integer (-?\d*)\.\.(-?\d*)$/, (a, b) => `整数 ${a}..${b}`],
  [/^an integer ([≥≤]) (-?\d+)$/, (op, n) => `整数 ${op} ${n}`],
  [/^an integer$/, () => '整数'],
  [/^a number (-?[\d.]+)\.\.(-?[\d.]+) \(e\.g\. 2\.5\)$/, (a, b) => `数值 ${a}..${b}（可带小数，如 2.5）`],
  [/^a number ([≥≤]) (-?[\d.]+) \(e\.g\. 2\.5\)$/, (op, n) => `数值 ${op} ${n}（可带小数，如 2.5）`],
  [/^a number \(e\.g\. 2\.5\)$/, () => '数值（可带小数，如 2.5）'],
  [/^one of (.+)$/, (vs) => `${vs} 之一`],
  [/^items (?:of|from) (.+)$/, (vs) => `取自 ${vs} 的项`],
  [/^a date YYYY-MM-DD, TODAY or YESTERDAY$/, () => '日期 YYYY-MM-DD、TODAY 或 YESTERDAY'],
  [/^an IPv4 or IPv6 address$/, () => 'IPv4 或 IPv6 地址'],
  [/^an IPv4 or IPv6 address, or an IPv6 \/64$/, () => 'IPv4 或 IPv6 地址，或 IPv6 /64 前缀'],
  [/^an IPv4 or IPv6 address, or address:port$/, () => 'IPv4 或 IPv6 地址，或 地址:端口'],
  [/^YES or NO$/, () => 'YES 或 NO'],
  // IMP USER of a CSV whose first line is not SIPp's (users-csv.ts).
  [
    /^SEQUENTIAL, RANDOM or USER \(a SIPp injection file\)$/,
    () => 'SEQUENTIAL、RANDOM 或 USER（SIPp 注入文件的第一行）',
  ],
  [/^text of (\d+)\.\.(\d+) characters$/, (a, b) => `${a}..${b} 个字符的文本`],
  [/^text of at most (\d+) characters$/, (n) => `最多 ${n} 个字符的文本`],
  [/^text of at least (\d+) characters$/, (n) => `至少 ${n} 个字符的文本`],
  [/^a boolean \(YES\/NO, TRUE\/FALSE\)$/, () => '布尔值（YES/NO、TRUE/FALSE）'],
  [/^a comma list$/, () => '逗号分隔的列表'],
  [/^comma list$/, () => '逗号分隔的列表'],
  [/^at least one item$/, () => '至少一项'],
  [/^a CIDR list like (.+)$/, (ex) => `CIDR 列表，如 ${ex}`],
  [/^CIDR list \(IPv4, IPv6\)$/, () => 'CIDR 列表（IPv4、IPv6）'],
  [/^IP address \(IPv4, IPv6\), or empty$/, () => 'IP 地址（IPv4、IPv6），或为空'],
  [/^IPv6 address, or empty$/, () => 'IPv6 地址，或为空'],
  [/^host name or IPv4 address$/, () => '主机名或 IPv4 地址'],
  [/^a host name like (\S+), or an IPv4 address$/, (ex) => `主机名（如 ${ex}）或 IPv4 地址`],
  // setting-formats.ts: the forms of SIP.HOST, SIP.DOMAINS, DIALER.USERNAME, ...
  [/^host names like (\S+), or IPv4 addresses$/, (ex) => `主机名（如 ${ex}）或 IPv4 地址`],
  [
    /^an? IP address(?:es)? of this machine \(IPv4 or IPv6\), or 0\.0\.0\.0 or :: for all of them$/,
    () => '本机的 IP 地址（IPv4 或 IPv6），或 0.0.0.0、:: 表示全部',
  ],
  [
    /^(?:a user name|user names) of 1\.\.64 characters of A-Z a-z 0-9 \. _ \+ -(?: \(as ADD USER takes\))?$/,
    () => '用户名：1..64 个字符，取自 A-Z a-z 0-9 . _ + -（与 ADD USER 相同）',
  ],
  [/^(?:a password|passwords) of 1\.\.128 characters$/, () => '密码：1..128 个字符'],
  [
    /^(?:a realm|realms) of 1\.\.128 characters, without control characters, " or \\$/,
    () => '摘要认证域：1..128 个字符，不含控制字符、" 或 \\',
  ],
  [
    /^(?:a SIP method like INVITE|SIP methods like INVITE, MESSAGE) \(RFC 3261 §25\.1 tokens?: no spaces\)$/,
    () => 'SIP 方法，如 INVITE（RFC 3261 §25.1：不含空格）',
  ],
  [
    /^(?:an origin|origins) like (\S+) \(scheme:\/\/host\[:port\], no path, RFC 6454 §6\.2\)$/,
    (ex) => `来源，如 ${ex}（scheme://host[:port]，不含路径，RFC 6454 §6.2）`,
  ],
  [
    /^an IP address others can reach \(not 0\.0\.0\.0 or ::\), or empty$/,
    () => '对方可达的 IP 地址（不可为 0.0.0.0 或 ::），或为空',
  ],
  [
    /^an IPv6 address others can reach \(not ::\), or empty$/,
    () => '对方可达的 IPv6 地址（不可为 ::），或为空',
  ],
  [
    /^host:port, like (\S+), (\S+) or (\S+) \(no spaces\), or empty$/,
    (a, b, c) => `主机:端口，如 ${a}、${b} 或 ${c}（不含空格），或为空`,
  ],
  [/^host:port pairs, like (\S+) \(no spaces\)$/, (a) => `主机:端口，如 ${a}（不含空格）`],
  [/^a string$/, () => '字符串'],
  // A setting's refusal (setting-refusal.ts): "must be a whole number of seconds from 1 to 86400 (got ...)".
  [/^a port number from (\d+) to (\d+)$/, (a, b) => `${a} 到 ${b} 之间的端口号`],
  [
    /^a whole number(?: of (.+?))? from (-?\d+) to (-?\d+)$/,
    (unit, a, b) => `${a} 到 ${b} 之间的整数${unit === undefined ? '' : `（${ZH_UNITS[unit] ?? unit}）`}`,
  ],
  [/^YES or NO \(or TRUE\/FALSE, ON\/OFF, 1\/0\)$/, () => 'YES 或 NO（也可为 TRUE/FALSE、ON/OFF、1/0）'],
  [/^a comma list, or a JSON array of strings$/, () => '逗号分隔的列表，或字符串组成的 JSON 数组'],
  [
    /^a comma list of (.+?)(, at least one)?$/,
    (of, one) => {
      const zh = zhAllowed(of);
      const list =
        zh === of
          ? `取自 ${of} 的逗号分隔列表`
          : `逗号分隔的列表，每项为${/^[\x21-\x7e]/.test(zh) ? ' ' : ''}${zh}`;
      return `${list}${one === undefined ? '' : '，至少一项'}`;
    },
  ],
  [/^a date-time like (\S+)$/, (ex) => `日期时间，如 ${ex}`],
  [/^a class like 4XX \(1XX-6XX\)$/, () => '响应类别，如 4XX（1XX-6XX）'],
  [/^digits 0-9, \*, #, A-D$/, () => '按键 0-9、*、#、A-D'],
];

/** "应为" and what is allowed, with a space before Latin text ("应为 ACTIVE, INACTIVE 之一"). */
export function zhExpected(what: string): string {
  const zh = zhAllowed(what);
  return `应为${/^[\x21-\x7e]/.test(zh) ? ' ' : ''}${zh}`;
}

/**
 * A setting's refusal of a value of the wrong form (setting-refusal.ts mustBe), "must be <what> (got
 * <value>)", in Chinese: SET CFG's answer (zh.ts) and the console's Configuration dialog say it alike.
 */
export function zhMustBe(what: string, got?: string): string {
  return got === undefined ? zhExpected(what) : `${zhExpected(what)}，实际为 ${got}`;
}

/** What a parameter allows, in Chinese ("an integer 1..1000" → "整数 1..1000"); unknown text stays. */
export function zhAllowed(english: string): string {
  for (const [pattern, replace] of ALLOWED) {
    const m = pattern.exec(english);
    if (m !== null) return replace(...(m.slice(1) as string[]));
  }
  return english;
}
