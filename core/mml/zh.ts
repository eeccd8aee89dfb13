// Chinese for MML answers (lang.ts): the words of the original's console where it had them (用户名,
// 注册列表, 呼叫统计 ...), for table titles and column names, the messages (whole, or by pattern with
// their inner reasons translated too), and each command's HELP line. Keys are the English text exactly as
// the commands write it. Parameter descriptions and what a parameter allows are in zh-params.ts; what
// DSP CFG says about each setting (description, type, source) is in zh-settings.ts.
import { zhExpected as expected, zhMustBe, zhParamHelp } from './zh-params';
import { zhDialerEnd, zhDialerReason } from '../dialer/reason-zh';
import { ZH_PORT_CAP } from '../dialer/port-cap';
import { zhCdrReason, zhCdrResult, zhParty } from './zh-cdr-reasons';
import { MASK_GIVEN } from './mask';
import { zhDirection, zhDuration, zhLadderLine } from './zh-status';

/** Whole phrases: column names (and titles without an entry in ZH_TITLES), fixed messages. */
export const ZH_WORDS: Readonly<Record<string, string>> = {
  'Operation succeeded': '操作成功',
  // Why a file could not be read (commands/common.ts fileErrorText).
  'no such file': '文件不存在',
  'permission denied': '没有读取权限',
  'it is a folder': '这是一个文件夹',
  // HELP
  Commands: '命令列表',
  Command: '命令',
  Group: '分组',
  Confirm: '需确认',
  Description: '说明',
  Parameter: '参数',
  Type: '类型',
  Required: '必选',
  Default: '缺省值',
  Allowed: '取值范围',
  // Groups
  System: '系统管理',
  User: '用户管理',
  Registration: '注册管理',
  Call: '呼叫管理',
  CDR: 'CDR 管理',
  Configuration: '配置管理',
  Performance: '性能监控',
  Log: '日志管理',
  Dialer: '外呼管理',
  Trace: '信令跟踪',
  // Users
  Users: '用户数',
  Username: '用户名',
  'Display name': '显示名称',
  Phone: '电话号码',
  Email: '邮箱',
  Status: '状态',
  Service: '服务类型',
  Created: '创建时间',
  Updated: '更新时间',
  Import: '导入',
  Added: '新增',
  Format: '格式',
  'Users now': '当前用户数',
  // Registrations
  Registrations: '注册数',
  AOR: 'AOR',
  'Registered as': '注册时的 AOR',
  Contact: 'Contact',
  'Expires in (s)': '剩余时间 (秒)',
  'Expires at': '过期时间',
  Source: '来源地址',
  Transport: '传输',
  'User agent': '用户代理',
  Registered: '注册时间',
  q: 'q 值',
  'Registration statistics': '注册统计',
  AORs: '注册用户数',
  Bindings: '注册绑定数',
  'Bindings per AOR': '平均绑定数',
  'Seconds left': '剩余时间 (秒)',
  'Registration paths': '注册路径',
  Path: 'Path',
  'Registration devices': '注册设备',
  Instance: '设备实例',
  'Flow (reg-id)': '流 (reg-id)',
  'Public GRUU': '公共 GRUU',
  // Calls
  'Live calls': '活跃呼叫数',
  ID: '呼叫 ID',
  'Call-ID': 'Call-ID',
  Caller: '主叫',
  Callee: '被叫',
  'Caller address': '主叫地址',
  'Callee address': '被叫地址',
  'Caller number': '主叫号码',
  'Callee number': '被叫号码',
  'Caller user agent': '主叫用户代理',
  'Callee user agent': '被叫用户代理',
  'Caller contact': '主叫 Contact',
  'Callee contact': '被叫 Contact',
  'Request-URI': 'Request-URI',
  Media: '媒体',
  Codecs: '编解码',
  Direction: '方向',
  'On hold by': '保持方',
  State: '状态',
  Start: '开始时间',
  Started: '开始时间',
  Ringing: '振铃时间',
  Answer: '接听时间',
  'Post-dial delay (ms)': '接续时延 (毫秒)',
  'Last CSeq': '最后的 CSeq',
  Calling: '呼叫中',
  Total: '总数',
  Calls: '呼叫数',
  Answered: '已接听',
  Failed: '失败',
  Cancelled: '已取消',
  'Answer ratio (%)': '接通率 (%)',
  'Average setup (ms)': '平均建立时长 (毫秒)',
  'Average talk (s)': '平均通话时长 (秒)',
  'Total talk (s)': '总通话时长 (秒)',
  // CDR
  'Record ID': '记录编号',
  'Duration (s)': '时长 (秒)',
  'Setup (ms)': '建立时长 (毫秒)',
  Result: '结果',
  Reason: '原因',
  'Records by type': '记录类型统计',
  'Records by state': '呼叫状态统计',
  Records: '记录数',
  'Share (%)': '占比 (%)',
  Date: '日期',
  Unregistrations: '注销数',
  Messages: '消息数',
  'CDR export': 'CDR 导出',
  'CDR cleared': 'CDR 已清理',
  File: '文件路径',
  Before: '早于',
  'Day folders': 'CSV 日目录数',
  // Settings, log, system
  Settings: '配置项数',
  Categories: '类别数',
  Setting: '配置项',
  Key: '配置项',
  Value: '当前值',
  Previous: '原值',
  'Restart needed': '需重启',
  Restart: '需重启',
  Pending: '待重启生效',
  Level: '级别',
  Text: '内容',
  Time: '时间',
  "Today's file": '今日日志文件',
  'Line format': '行格式',
  Action: '功能',
  'Server status': '服务状态',
  'System information': '系统信息',
  'Command history': '命令历史',
  'No.': '序号',
  Who: '操作员',
  RETCODE: 'RETCODE',
  Message: '消息',
  Product: '产品',
  Version: '版本',
  Node: 'Node.js 版本',
  OS: '操作系统',
  Host: '主机名',
  Uptime: '运行时间',
  'Host uptime': '主机运行时间',
  CPU: 'CPU 型号',
  'CPU cores': 'CPU 核数',
  'Load average': '平均负载',
  'Memory total (MB)': '内存总量 (MB)',
  'Memory free (MB)': '空闲内存 (MB)',
  'Process memory (MB)': '进程内存 (MB)',
  'Heap used (MB)': '已用堆内存 (MB)',
  'Data directory': '数据目录',
  // Server status
  'Process ID': '进程号',
  'Server IP': '服务器 IP',
  'Server IPv6': '服务器 IPv6',
  'Listen address': '监听地址',
  'UDP port': 'UDP 端口',
  'TCP port': 'TCP 端口',
  'TLS port': 'TLS 端口',
  'WS port': 'WS 端口',
  'WSS port': 'WSS 端口',
  Connections: '连接数',
  'Registrations by transport': '按传输方式的注册数',
  'Registered AORs': '已注册 AOR 数',
  'Server transactions': '服务端事务数',
  'Client transactions': '客户端事务数',
  Method: '方法',
  'Early dialogs': '早期会话数',
  'Confirmed dialogs': '已确认会话数',
  'CDR rows (database)': 'CDR 行数（数据库）',
  'CDR write failures (database)': 'CDR 写入失败次数（数据库）',
  'CDR rows (CSV)': 'CDR 行数（CSV）',
  'CDR write failures (CSV)': 'CDR 写入失败次数（CSV）',
  'CDR rows dropped': '丢弃的 CDR 行数',
  'HEP packets sent': '已发送的 HEP 包数',
  'HEP send errors': 'HEP 发送错误数',
  'trace.db messages': 'trace.db 消息数',
  'trace.db write failures': 'trace.db 写入失败次数',
  'Requests being forwarded': '转发中的请求数',
  'Requests in': '收到的请求数',
  'Responses in': '收到的响应数',
  'Messages out': '发出的消息数',
  'Parse errors': '解析错误数',
  Retransmissions: '重传数',
  'Auth failures': '鉴权失败数',
  'Auth lockouts': '鉴权锁定次数',
  'Locked-out attempts': '锁定期间的尝试数',
  'CPU (%)': 'CPU (%)',
  'Resident memory (MB)': '常驻内存 (MB)',
  // The TLS certificate (DSP SRVSTAT)
  'TLS certificate': 'TLS 证书',
  Subject: '证书主题',
  Names: '证书名称 (SAN)',
  'SHA-256 fingerprint': 'SHA-256 指纹',
  'Not after': '有效期至',
  'Self-signed': '自签名',
  // Performance
  'User (%)': '用户态 (%)',
  'System (%)': '内核态 (%)',
  'Share of host (%)': '占主机比例 (%)',
  'CPU time (s)': 'CPU 时间 (秒)',
  'Host cores': '主机核数',
  'Host load average': '主机平均负载',
  'Resident (MB)': '常驻内存 (MB)',
  'Heap total (MB)': '堆内存总量 (MB)',
  'External (MB)': '外部内存 (MB)',
  'Array buffers (MB)': '数组缓冲区 (MB)',
  'Host total (MB)': '主机内存总量 (MB)',
  'Host free (MB)': '主机空闲内存 (MB)',
  'SIP packets in/s': 'SIP 收包数/秒',
  'SIP packets out/s': 'SIP 发包数/秒',
  'SIP packets in': 'SIP 收包总数',
  'SIP packets out': 'SIP 发包总数',
  'Host received (KB/s)': '主机接收 (KB/秒)',
  'Host sent (KB/s)': '主机发送 (KB/秒)',
  'Host received (MB)': '主机接收 (MB)',
  'Host sent (MB)': '主机发送 (MB)',
  'In/s': '接收/秒',
  'Out/s': '发送/秒',
  'Requests in/s': '收到请求/秒',
  'Responses in/s': '收到响应/秒',
  'Parse errors/s': '解析错误/秒',
  'Retransmissions/s': '重传/秒',
  'In (total)': '接收总数',
  'Out (total)': '发送总数',
  'Method or code': '方法或状态码',
  'Per second': '每秒',
  'p50 (ms)': 'p50 (毫秒)',
  'p99 (ms)': 'p99 (毫秒)',
  'Max (ms)': '最大 (毫秒)',
  'Mean (ms)': '平均 (毫秒)',
  Kind: '类型',
  Collections: '回收次数',
  'Pause (ms)': '暂停 (毫秒)',
  'Longest (ms)': '最长 (毫秒)',
  'SIP in/s': 'SIP 接收/秒',
  'SIP out/s': 'SIP 发送/秒',
  'Loop delay p99 (ms)': '事件循环延迟 p99 (毫秒)',
  // Dialer
  Account: '外呼账号',
  'Local address': '本地地址',
  'Calls placed': '已发起呼叫数',
  'Calls in progress': '进行中的呼叫数',
  'RTP port pairs in use': '使用中的 RTP 端口对数',
  Campaign: '任务编号',
  Placed: '已发起',
  'In progress': '进行中',
  'Failed by code': '按状态码的失败数',
  'ASR (%)': '接通率 ASR (%)',
  'Cancelled by operator (not in ASR)': '操作员取消 (不计入 ASR)',
  'ACD (s)': '平均通话时长 ACD (秒)',
  'PDD p50 (ms)': '接续时延 PDD p50 (毫秒)',
  'PDD p95 (ms)': '接续时延 PDD p95 (毫秒)',
  'RTP sent': 'RTP 发送包数',
  'RTP received': 'RTP 接收包数',
  'RTP lost': 'RTP 丢包数',
  'Jitter mean (ms)': '平均抖动 (毫秒)',
  'Jitter max (ms)': '最大抖动 (毫秒)',
  Number: '号码',
  'Ended by': '挂断方',
  Note: '备注',
  'PDD (ms)': '接续时延 PDD (毫秒)',
  'Talk (s)': '通话时长 (秒)',
  'Jitter (ms)': '抖动 (毫秒)',
  Server: '服务器',
  'Local IP': '本地 IP',
  'Local port': '本地端口',
  'RTP ports': 'RTP 端口范围',
  'Media file': '媒体文件',
  Concurrency: '并发数',
  'Rate (calls/s)': '呼叫速率 (次/秒)',
  Ended: '结束时间',
  'Elapsed (s)': '已用时间 (秒)',
  'Call rate achieved (calls/s)': '实际呼叫速率 (次/秒)',
  Record: '录音',
  'Ring timeout (s)': '振铃超时 (秒)',
  'Register expires (s)': '注册有效期 (秒)',
  'Pending (next STR DIALSVC)': '待生效 (下次 STR DIALSVC)',
  Numbers: '号码数',
  // Trace
  Flow: '流程',
  'Time (s)': '时间 (秒)',
  'Delta (s)': '间隔 (秒)',
  Remote: '对端地址',
  'First line': '首行',
  Retransmission: '重传',
  Fault: '错误',
  From: 'From 用户',
  To: 'To 用户',
  'Final status': '最终状态码',
  // Fixed messages
  'No live call': '没有活跃呼叫',
  'No live call to end': '没有需要挂断的活跃呼叫',
  "Today's call statistics are not available: no CDR store": '今日呼叫统计不可用: 没有 CDR 存储',
  'No lockout in force': '当前没有锁定',
  'No SIP stack in this build': '此版本没有 SIP 协议栈',
  'The auto dialer is not available here: the SIP server is not running': '外呼服务不可用: SIP 服务器未运行',
  'The auto dialer is not started': '外呼服务未启动',
  'Auto dialer stopped: calls ended, account unregistered': '外呼服务已停止: 呼叫已结束，外呼账号已注销',
  'The list of numbers to call is empty': '要呼叫的号码列表为空',
  'No campaign was running': '没有正在运行的外呼任务',
  'There is no CLR LOG: logs are not cleared by MML; they are day files under logs/ in the data folder (DSP SYSINFO shows it), to be deleted there':
    '没有 CLR LOG 命令：日志不通过 MML 清理；日志是数据目录 logs/ 下按天存放的文件（DSP SYSINFO 显示数据目录），请在那里删除',
  'There is no RST SERVICE: IMS Lab is not restarted by MML; restart it where it was started (its service manager, docker restart, the desktop app), after SAVE CFG to keep the settings changed since':
    '没有 RST SERVICE 命令：IMS Lab 不通过 MML 重启；请在启动它的地方重启（服务管理器、docker restart 或桌面应用），先用 SAVE CFG 保存启动后修改的配置',
  'Performance figures are not available: no sampler is running': '性能数据不可用: 采样器未运行',
  'No sample yet: the first is taken one second after start-up; try again':
    '尚无采样: 第一次采样在启动一秒后进行，请稍后重试',
  "the host's interface bytes are not readable on this platform": '此平台无法读取主机网卡的收发字节数',
  'The server status is not available: the SIP server is not running here':
    '服务状态不可用: SIP 服务器未运行',
  'The SIP trace is not available: no transport is traced': '信令跟踪不可用: 没有被跟踪的传输',
  'Nothing to clear: give BEFORE=<date> or ALL': '没有可清理的范围: 请给出 BEFORE=<日期> 或 ALL',
  'it takes effect after a restart': '重启后生效',
  'the desktop app serves no HTTP (no browser console, /metrics or mml scripting): the setting is for the headless server on this data folder':
    '桌面应用不提供 HTTP 服务（没有浏览器控制台、/metrics 或 mml 脚本）: 此设置供使用同一数据目录的无界面服务器使用',
  'it takes effect at the next STR DIALSVC': '下次 STR DIALSVC 时生效',
  'it applies to calls answered from now on (a call up keeps the maximum it was answered with)':
    '对此后接听的呼叫生效（已接听的呼叫保持接听时的最长时长）',
  'not saved yet: SAVE CFG writes it to config.json': '尚未保存: SAVE CFG 将其写入 config.json',
  'trace.db off': 'trace.db 已关闭',
  'It cannot be undone: it runs only with CONFIRM=YES': '此命令不可撤销: 只有带 CONFIRM=YES 才会执行',
  // Reasons inside messages (errors of the grammar, the dialer, the stores, the settings)
  'it takes no parameters': '该命令没有参数',
  [MASK_GIVEN]: '***** 是历史记录对密码的遮盖，请输入密码本身',
  'empty command: expected a verb such as DSP, ADD, MOD, RMV, SET or HELP':
    '命令为空: 应以动词开头，如 DSP、ADD、MOD、RMV、SET 或 HELP',
  'unterminated quoted value: a closing " is missing': '引号未闭合: 缺少结尾的 "',
  'unexpected ";" inside the command (one command per statement)':
    '命令中不应有 ";"（每条语句只能有一条命令）',
  'unexpected ":" (it may only follow the object)': '不应有 ":"（只能紧跟在对象之后）',
  'unexpected ",": separate parameters with spaces, or use VERB OBJECT:A=1,B=2;':
    '不应有 ","：参数之间用空格分隔，或写作 VERB OBJECT:A=1,B=2;',
  'unexpected "," (a parameter is missing)': '不应有 ","（缺少参数）',
  'expected "," between parameters': '参数之间应有 ","',
  'The SIP server is not running': 'SIP 服务器未运行',
  'The auto dialer is not started: run STR DIALSVC first': '外呼服务未启动: 请先执行 STR DIALSVC',
  'No numbers to call': '没有要呼叫的号码',
  'unknown setting': '未知配置项',
  'must be a string': '应为字符串',
  'must not contain control characters': '不能包含控制字符',
  'must not contain a lone UTF-16 surrogate (it is no Unicode text)':
    '不能包含孤立的 UTF-16 代理码元（不是有效的 Unicode 文本）',
  'is required': '为必选项',
};

/**
 * Table titles, where a title reads differently from the same word as a column name ("Users": the
 * list of users as a title, their number as a column). Titles not here are translated as messages.
 */
export const ZH_TITLES: Readonly<Record<string, string>> = {
  Users: '已开户用户列表',
  User: '用户信息',
  Registrations: '注册列表',
  'Live calls': '活跃呼叫列表',
  Call: '呼叫详情',
  Calls: '呼叫统计',
  'Calls today (CDR)': '今日呼叫 (CDR)',
  Log: '日志',
  'Log settings': '日志配置',
  'Terminal keys': '终端快捷键',
  Setting: '配置修改',
  Settings: '系统配置一览',
  Import: '导入结果',
  Export: '导出结果',
  Lockouts: '鉴权锁定列表',
  'CPU (this process)': 'CPU（本进程）',
  'Memory (this process)': '内存（本进程）',
  Network: '网络',
  'SIP messages': 'SIP 消息',
  'SIP messages by method or status code': '按方法或状态码统计的 SIP 消息',
  'SIP responses by method and class (since start)': '按方法和状态类别统计的 SIP 响应（自启动以来）',
  'Evidence writers (since start)': '话单与信令跟踪的写入（自启动以来）',
  'Event loop delay (how late the server ran what was due; every message waits this long)':
    '事件循环延迟（服务器处理到期任务的滞后时间；每条消息都要等待这么久）',
  'Garbage collection (the event loop held meanwhile; PERF.GC_HEADROOM_MB paces the full ones)':
    '垃圾回收（期间事件循环暂停；PERF.GC_HEADROOM_MB 控制完全回收的节奏）',
  'Auto dialer': '外呼服务',
  'Auto dialer configuration': '外呼服务配置',
  Campaigns: '外呼任务列表',
  Campaign: '外呼任务',
  Ladder: '信令流程图',
  Messages: '消息列表',
  'Traced dialogs': '跟踪的会话',
};

/** Column names that read differently in one table (by its English title) than elsewhere. */
export const ZH_TABLE_COLUMNS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'Live calls': { Calling: '呼叫中', Ringing: '振铃中', Answered: '已接听' },
  Import: { Added: '新增数', Updated: '更新数' },
  Setting: { Value: '新值' },
  Settings: { Source: '来源' },
  Log: { Source: '来源' },
  'Terminal keys': { Key: '按键' },
  'Server status': { Started: '启动时间' },
  'Auto dialer': { Started: '启动时间', Registered: '已注册' },
  'System information': { Started: '启动时间' },
};

/** Cells that are words rather than data (what a table writes for "none"), by the table's title. */
export const ZH_CELLS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Lockouts: { '(every user name)': '（所有用户名）' },
  'Server status': { 'not started': '未启动' },
  'Auto dialer configuration': { 'this server': '本服务器', "the server's address": '服务器地址' },
  // The service's and the campaigns' states.
  'Auto dialer': { running: '运行中', stopped: '已停止', starting: '启动中', stopping: '停止中' },
  Campaigns: { running: '进行中', finished: '已完成', stopped: '已停止', stopping: '停止中' },
  // DSP PERF: a message's direction, and a garbage collection's kind (V8's young and full generations).
  'SIP messages by method or status code': { in: '接收', out: '发送' },
  'SIP responses by method and class (since start)': { received: '接收', sent: '发送' },
  'Garbage collection (the event loop held meanwhile; PERF.GC_HEADROOM_MB paces the full ones)': {
    young: '新生代',
    full: '完全',
  },
};

/**
 * Cells a command writes in words, by column name: DSP CDR's Result, as the original showed it in
 * Chinese (已接听 (200), 失败 (486), 已取消; original-server.md §1.2 #10). SIP reason phrases stay.
 */
export const ZH_COLUMN_CELLS: Readonly<Record<string, (cell: string) => string>> = {
  Result: zhCdrResult,
  // DSP CDR's Reason (and DSP DIALSVC's calls): IMS Lab's and the dialer's own words; SIP reason
  // phrases stay.
  Reason: zhCdrReason,
  Note: zhDialerReason,
  'Ended by': zhDialerEnd,
  // Read-only status: DSP SYSINFO, DSP SRVSTAT, DSP DIALSVC (6m 7s → 6分钟7秒); DSP TRACE CALLID=.
  Uptime: zhDuration,
  'Host uptime': zhDuration,
  Direction: zhDirection,
  'On hold by': zhParty,
  Flow: zhLadderLine,
};

/**
 * Titles two tables share in English, told apart in Chinese by the table's first column: DSP CALL
 * STAT's counters are not DSP CALL's list (the original's DSP CALL STAT block was 呼叫统计).
 */
export const ZH_TITLES_BY_FIRST_COLUMN: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'Live calls': { Calling: '活跃呼叫统计' },
};

/** Where the original's read-only DSP CFG keys are now (commands/config.ts ORIGINAL_SHOWN), in Chinese. */
const ZH_ORIGINAL_SHOWN: Readonly<Record<string, string>> = {
  'log files are logs/YYYY-MM-DD/ims-sip-server.log in the data folder (DSP SYSINFO)':
    '日志文件在数据目录的 logs/YYYY-MM-DD/ims-sip-server.log（DSP SYSINFO）',
  'DSP LOG LIMIT= chooses how many lines': '用 DSP LOG LIMIT= 选择显示多少行',
  'CDR files are CDR/YYYY-MM-DD/cdr_YYYY-MM-DD.csv in the data folder (DSP SYSINFO)':
    'CDR 文件在数据目录的 CDR/YYYY-MM-DD/cdr_YYYY-MM-DD.csv（DSP SYSINFO）',
  'users are kept in the database (DSP USER, IMP USER)': '用户保存在数据库中（DSP USER、IMP USER）',
  "the console's WebSocket is /ws on HTTP.PORT": '控制台的 WebSocket 是 HTTP.PORT 上的 /ws',
  'DSP HISTORY LIMIT= chooses how many commands': '用 DSP HISTORY LIMIT= 选择显示多少条命令',
  'live counts are in DSP SRVSTAT': '实时统计见 DSP SRVSTAT',
  "a request keeps its Max-Forwards less one at each hop (RFC 3261 §16.6 step 3); IMS Lab's own requests carry 70":
    '请求保留自身的 Max-Forwards，每经一跳减一（RFC 3261 §16.6 第 3 步）；IMS Lab 自己发出的请求为 70',
  "Contacts are never rewritten (the original's was always off)":
    'Contact 从不改写（原服务器的该项始终关闭）',
  "the server's address is SIP.SERVER_IP at SIP.PORT (DSP SYSINFO)":
    '服务器地址为 SIP.SERVER_IP 与 SIP.PORT（DSP SYSINFO）',
  "the methods allowed are in the Allow header of IMS Lab's answer to OPTIONS":
    '支持的方法见 IMS Lab 对 OPTIONS 应答中的 Allow 头',
  "CDR rows are always merged, one per call, as the original's were":
    'CDR 记录总是合并，每个呼叫一行，与原服务器相同',
};

type Pattern = readonly [RegExp, (...groups: string[]) => string];

/** "user 1001 from 192.0.2.1" (lockouts.ts) in Chinese. */
function lockedWho(what: string): string {
  const m = /^(?:user (.*?))?(?: ?(?:from|address) (\S+))?$/.exec(what);
  if (m === null) return what;
  const [, user, source] = m;
  if (user !== undefined && source !== undefined) return `来自 ${source} 的用户 ${user}`;
  return user !== undefined ? `用户 ${user}` : `地址 ${source ?? ''}`;
}

/** How an ended call was ended (calls.ts). */
const endedHow = (how: string): string =>
  how === 'BYE sent to both parties'
    ? '已向双方发送 BYE'
    : how === 'not answered yet: INVITE cancelled'
      ? '尚未接听: 已取消 INVITE'
      : zhText(how);

/** " where STATE=FAILED, CALLER=1001" of a filtered DSP CDR or EXP CDR (cdr.ts filterWords). */
const where = (w: string | undefined): string => (w === undefined ? '' : `（条件 ${w}）`);

/** "Records of D" / "CALL records of D" (cdr.ts). */
const recordsOf = (type: string | undefined, date: string): string =>
  `${date} 的${type === undefined ? '' : ` ${type} `}记录`;

/** "; older records: DSP LOG ..." of a DSP LOG page with older records behind it (log.ts). */
const olderLogs = (next: string | undefined): string => (next === undefined ? '' : `；更早的日志: ${next}`);

/**
 * Messages and the reasons inside them, with variable parts. The first pattern that matches the whole
 * text is used; a pattern translates the reason it carries with zhText too.
 */
/** The dialer's states, in "The auto dialer is already <state>". */
const DIALER_STATES: Readonly<Record<string, string>> = {
  running: '在运行',
  starting: '在启动中',
  stopping: '在停止中',
};

/** The WAV decoder's (wavefile's) words for a file that is no WAV, inside "not a WAV file (...)". */
const WAVEFILE_ZH: Readonly<Record<string, string>> = {
  'Not a supported format.': '不是 RIFF 文件',
  'Could not find the "WAVE" format identifier': '找不到 "WAVE" 格式标识',
  'Could not find the "fmt " chunk': '找不到 "fmt " 块',
  'Could not find the "data" chunk': '找不到 "data" 块',
  'Range error': '文件不完整（被截断）',
};

export const ZH_PATTERNS: readonly Pattern[] = [
  // A CDR answer while the original's day files are imported (commands/cdr.ts importNote).
  [
    /^(.*) \(partial: the original's day file (\S+) is being imported, (\d+) rows so far; ask again when the log says it is done\)$/s,
    (head, file, rows) =>
      `${zhText(head)}（不完整：原系统的日文件 ${file} 正在导入，已导入 ${rows} 行；日志显示导入完成后再查询）`,
  ],
  // A suggestion ends many errors: translate the rest, then the suggestion.
  [/^(.+)\. Did you mean (.+)\?$/s, (head, guess) => `${zhText(head)}。您是否要输入 ${guess}？`],
  // HELP
  [
    /^(\d+) commands; HELP <command> \(e\.g\. HELP DSP USER\) shows its parameters$/,
    (n) => `共 ${n} 条命令；HELP <命令>（如 HELP DSP USER）显示其参数`,
  ],
  [
    /^(\d+) (\w+) commands; HELP <command> shows its parameters$/,
    (n, v) => `${v} 命令共 ${n} 条；HELP <命令> 显示其参数`,
  ],
  [/^Parameters of (.+)$/, (c) => `${c} 的参数`],
  [/^([A-Z]+) commands$/, (v) => `${v} 命令`],
  [/^Commands with (.*)$/, (p) => `带参数 ${p} 的命令`],
  [/^(\d+) commands take (.*)$/, (n, p) => `共 ${n} 条命令带参数 ${p}`],
  [/^No command (.+); HELP lists them all$/, (c) => `没有命令 ${c}；HELP 列出所有命令`],
  [/^No command takes a parameter (.*)$/, (p) => `没有命令带参数 ${p}`],
  [/^No command (.+)$/, (c) => `没有命令 ${c}`],
  [/^Also written: (.+)$/, (a) => `也可写作: ${a}`],
  [/^Words after the object: (.+)$/, (w) => `对象后可跟的词: ${w}`],
  [/^Give at least one of (.+)$/, (ps) => `至少给出以下参数之一: ${ps}`],
  // The registry and the engine
  [
    /^Missing parameter (\S+) \((.*)\) required by (.+)$/,
    (p, h, c) => `缺少必需参数: ${p}，${c} 需要此参数；${p}: ${zhParamHelp(h)}`,
  ],
  [
    /^Unknown parameter (\S+) for ([^;]+); (?:allowed: )?(.*)$/,
    (p, c, rest) =>
      `${c} 不支持参数 ${p}；${rest === 'it takes no parameters' ? zhText(rest) : `可用参数: ${rest}`}`,
  ],
  [/^Unknown command (.+?): (.*)$/s, (c, why) => `未知命令: ${c}（${zhText(why)}）`],
  [/^there is no verb (\S+) \(verbs: (.*)\)$/, (v, vs) => `没有动词 ${v}，可用动词: ${vs}`],
  [/^([A-Z]+) takes (.+)$/, (v, objects) => `${v} 可带的对象: ${objects}`],
  [/^([A-Z]+) needs an object: (.+)$/, (v, objects) => `${v} 需要对象: ${objects}`],
  [
    /^Unexpected word (\S+) after (.+?)(?: \(it accepts (.+)\))?; parameters are written NAME=value$/,
    (w, c, known) =>
      `${c} 之后不应有 ${w}${known === undefined ? '' : `（可跟的词: ${known}）`}；参数应写作 NAME=value`,
  ],
  [/^Parameter (\S+(?: \(\S+\))?): (.*)$/s, (p, why) => `参数 ${p} 错误: ${zhText(why)}`],
  // A value that runs on into the next parameter: a comma with no colon (missing-colon.ts).
  [
    /^the value goes on with ",(\S+)=", a parameter of (.+?): separate parameters with spaces \((.+)\), or write the Huawei form \((.+)\); quote the value if the comma is part of it \((.+)\)$/,
    (n, c, spaced, huawei, quoted) =>
      `值中接着出现了 ",${n}="，它是 ${c} 的参数：参数之间用空格分隔（${spaced}），或写成华为格式（${huawei}）；逗号若是值的一部分，请给值加引号（${quoted}）`,
  ],
  [/^(\S+) is before FROM (\S+)$/, (to, from) => `${to} 早于 FROM ${from}`],
  // The dialer's parameters (commands/dialer.ts, dialer/numbers.ts, media/wav.ts): a file's name stays.
  [
    /^(\S+) s is shorter than one (\d+) ms packet; give at least (\S+), or 0 to play the prompt once$/,
    (s, ms, least) => `${s} 秒短于一个 ${ms} 毫秒的包；至少应为 ${least}，或 0 表示媒体文件播放一次`,
  ],
  [/^((?:\/|[A-Za-z]:\\).+?) line (\d+): (.*)$/s, (file, n, why) => `${file} 第 ${n} 行: ${zhText(why)}`],
  [/^"(.*)" is not a number that can be dialled$/, (n) => `"${n}" 不是可拨打的号码`],
  [/^(.+) holds no number to call$/, (f) => `${f} 中没有要呼叫的号码`],
  ZH_PORT_CAP,
  [
    /^DURATION=(\S+), but CALL\.MAX_DURATION=(\d+): IMS Lab ends each answered call after (\d+) s$/,
    (d, max, s) => `DURATION=${d}，但 CALL.MAX_DURATION=${max}：IMS Lab 在每个呼叫接通 ${s} 秒后将其结束`,
  ],
  [/^"(.*)" is neither a number nor a range a-b$/, (n) => `"${n}" 既不是号码也不是 a-b 形式的号段`],
  [
    /^"(.*)" is no number, among numbers: start a line that is no number with #$/,
    (n) => `"${n}" 不是号码，而文件的其他行都是号码：不是号码的行请以 # 开头`,
  ],
  [
    /^"(.*)" is a spreadsheet's exponent form: write the number out$/,
    (n) => `"${n}" 是电子表格的科学计数形式：请写出完整号码`,
  ],
  [
    /^"(.*)" is a spreadsheet's decimal form: write the number out$/,
    (n) => `"${n}" 是电子表格的小数形式：请写出完整号码`,
  ],
  [
    /^range (\S+) has (\d+) numbers; at most (\d+) are allowed$/,
    (r, n, max) => `号段 ${r} 有 ${n} 个号码；最多 ${max} 个`,
  ],
  [/^more than (\d+) numbers in one campaign$/, (n) => `一个外呼任务的号码超过 ${n} 个`],
  // A prompt the dialer cannot play (media/wav.ts, PromptError "<file>: <why>"), whatever its name ends in
  // (prompt.mp3 too): the file stays, why is translated.
  [
    /^((?:\/|[A-Za-z]:\\).+?): ((?:not a WAV file|\d+ channels|sample rate|format \d+|fmt chunk|WAVE_FORMAT_EXTENSIBLE|no audio samples|no such file|not a file|\d+ bytes; a prompt file|truncated: |big-endian RIFX)[\s\S]*)$/,
    (file, why) => `${file}: ${zhText(why)}`,
  ],
  [
    /^not a WAV file \((.*)\)$/,
    (why) => `不是 WAV 文件（${Object.hasOwn(WAVEFILE_ZH, why) ? WAVEFILE_ZH[why] : why}）`,
  ],
  [
    /^(\d+) bytes; a prompt file may be at most (\d+) bytes \(64 MB\)$/,
    (n, max) => `${n} 字节；媒体文件最多 ${max} 字节（64 MB）`,
  ],
  [/^not a file$/, () => '不是文件'],
  [/^(\d+) channels: mono or stereo only$/, (n) => `${n} 个声道：只支持单声道或立体声`],
  [/^sample rate (\d+) Hz is not supported$/, (r) => `不支持 ${r} Hz 采样率`],
  [
    /^(format \d+(?: \([^)]+\))?(?: of format \d+(?: \([^)]+\))?)?) with (\d+) bits per sample is not supported \(16-bit PCM, µ-law or A-law only\)$/,
    (f, bits) =>
      `不支持${f.replace(/format (\d+)/g, '格式 $1').replace(' of ', ' 的子格式 ')}（每样本 ${bits} 位）；只支持 16 位 PCM、µ-law 或 A-law`,
  ],
  [
    /^fmt chunk too short \((\d+) bytes, a WAVE format takes (\d+)\)$/,
    (n, need) => `fmt 块太短（${n} 字节；WAVE 格式需要 ${need} 字节）`,
  ],
  [
    /^WAVE_FORMAT_EXTENSIBLE without its sub-format \(a fmt chunk of (\d+) bytes, (\d+) hold it\)$/,
    (n, need) => `WAVE_FORMAT_EXTENSIBLE 缺少子格式（fmt 块 ${n} 字节；需要 ${need} 字节）`,
  ],
  [
    /^WAVE_FORMAT_EXTENSIBLE with a sub-format that is no WAVE format \(unknown GUID\)$/,
    () => 'WAVE_FORMAT_EXTENSIBLE 的子格式不是 WAVE 格式（未知 GUID）',
  ],
  [/^no audio samples$/, () => '没有音频样本'],
  [
    /^truncated: its data chunk declares (\d+) bytes of audio, the file holds (\d+)$/,
    (n, held) => `文件被截断: data 块声明 ${n} 字节音频，文件只有 ${held} 字节`,
  ],
  [/^big-endian RIFX WAV files are not supported$/, () => '不支持大端序 RIFX WAV 文件'],
  [/^no such file$/, () => '文件不存在'],
  [
    /^Parameter (\S+) is given twice \((.*)\)$/,
    (p, how) =>
      `参数 ${p} 重复给出（${how
        .replace(/^the word /, '词 ')
        .replace(/ and the word /, ' 和词 ')
        .replace(/ and /, ' 和 ')}）`,
  ],
  [
    /^(.+) cannot be undone: add CONFIRM=YES to carry it out$/,
    (c) => `${c} 不可撤销: 需要确认参数 CONFIRM=YES`,
  ],
  [/^(.+) needs at least one of (.+)$/, (c, ps) => `${c} 至少需要以下参数之一: ${ps}`],
  [
    /^Syntax error at (.+?): (.*)$/,
    (where, why) =>
      `语法错误（${where.replace(/^line (\d+), column (\d+)$/, '第 $1 行第 $2 列').replace(/^column (\d+)$/, '第 $1 列')}）: ${zhText(why)}`,
  ],
  [/^Empty command: .*$/, () => '命令不能为空: 请输入命令，如 DSP USER，或 HELP'],
  [
    /^Not run: the server is stopping \(lines? (\d+)(?:-(\d+))?\)$/,
    (first, last) => `未执行: 服务器正在停止（第 ${last ? `${first}-${last}` : first} 行）`,
  ],
  [/^Command failed: (.*)$/, (why) => `命令执行错误: ${why}`],
  // What a parameter value should have been (params.ts, settings, the stores)
  [
    /^expected text of at most (\d+) characters, got (\d+) characters \(the limit is \d+\)$/,
    (max, n) => `应为最多 ${max} 个字符的文本，实际为 ${n} 个字符`,
  ],
  [/^expected a command verb \(letters\), got (.+)$/, (got) => `应为命令动词（字母），实际为 ${got}`],
  [/^expected a parameter NAME=value, got (.+)$/, (got) => `应为参数 NAME=value，实际为 ${got}`],
  [
    /^expected an object word or a parameter NAME=value, got (.+)$/,
    (got) => `应为对象或参数 NAME=value，实际为 ${got}`,
  ],
  [
    /^expected "=" after (\S+) \(parameters after ":" are NAME=value\)$/,
    (n) => `${n} 之后应有 "="（":" 之后的参数写作 NAME=value）`,
  ],
  // A SIPp CSV's password column (users-csv.ts).
  [
    /^expected \[authentication username=\.\.\. password=\.\.\.\] or a plain password$/,
    () => '应为 [authentication username=... password=...] 或直接写密码',
  ],
  [/^expected (.+), got (.+)$/s, (what, got) => `${expected(what)}，实际为 ${got}`],
  [/^expected (.+)$/, (what) => expected(what)],
  [/^must be one of (.+), got (.+)$/, (vs, got) => `应为 ${vs} 之一，实际为 ${got}`],
  // A setting's refusal (setting-refusal.ts): "must be <what is accepted> (got <value>)".
  [/^must be (.+) \(got (.*)\)$/s, (what, got) => zhMustBe(what, got)],
  [/^cannot be applied: (.+)$/s, (why) => `无法生效: ${zhText(why)}`],
  [/^cannot be (\S*): (.+)$/s, (v, why) => `不能为 ${v}：${zhText(why)}`],
  [/^must be a record_id \(20 digits\), got (.+)$/, (got) => `应为 record_id（20 位数字），实际为 ${got}`],
  [
    /^must be a state such as ENDED or FAILED, got (.+)$/,
    (got) => `应为状态，如 ENDED 或 FAILED，实际为 ${got}`,
  ],
  [/^must be a campaign id such as C0001, got (.+)$/, (got) => `应为外呼任务编号，如 C0001，实际为 ${got}`],
  [
    /^must be 1\.\.64 characters of A-Z a-z 0-9 \. _ \+ -, got (.+)$/,
    (got) => `应为 1..64 个字符（A-Z a-z 0-9 . _ + -），实际为 ${got}`,
  ],
  [/^must be (\d+)\.\.(\d+) characters$/, (a, b) => `应为 ${a}..${b} 个字符`],
  [/^must be at most (\d+) characters, got (\d+)$/, (max, n) => `最多 ${max} 个字符，实际为 ${n} 个`],
  [
    /^must be empty or 1\.\.32 of 0-9 \+ \* # \( \) - and space, got (.+)$/,
    (got) => `应为空，或 1..32 个 0-9 + * # ( ) - 和空格，实际为 ${got}`,
  ],
  [
    /^must be empty or an address like (\S+), got (.+)$/,
    (like, got) => `应为空，或形如 ${like} 的地址，实际为 ${got}`,
  ],
  [/^must be a whole number ≥ 0, got (.+)$/, (got) => `应为 ≥ 0 的整数，实际为 ${got}`],
  // A change of one of an ordered pair (settings.ts orderProblem): which to set first.
  [
    /^must be (at most|at least|below|above) (\S+) \((.+)\), got (\S+): to move both (above|below) it, set (\S+) first$/,
    (rel, other, v, got, way, first) =>
      `${zhText(`must be ${rel} ${other} (${v}), got ${got}`)}：要把两者都移到它${way === 'above' ? '之上' : '之下'}，请先设置 ${first}`,
  ],
  [
    /^must be (at most|at least|below|above) (\S+) \((.+)\), got (.+)$/,
    (rel, other, v, got) =>
      `应${{ 'at most': '不大于', 'at least': '不小于', below: '小于', above: '大于' }[rel]} ${other}（${v}），实际为 ${got}`,
  ],
  [/^([A-Z][A-Z0-9_]*\.[A-Z0-9_.]+): (.*)$/, (key, why) => `${key}: ${zhText(why)}`],
  [/^must not contain control characters, " or \\$/, () => '不能包含控制字符、" 或 \\'],
  // Grammar reasons with variable parts
  [/^unexpected (".+") after the verb (\S+)$/, (c, v) => `动词 ${v} 之后不应有 ${c}`],
  [
    /^a quote inside the value of (\S+): quote the whole value, e\.g\. (.+)$/,
    (n, ex) => `${n} 的值中含有引号: 请给整个值加引号，如 ${ex}`,
  ],
  [/^Parameter (\S+) has no value: write \S+=<value>$/, (n) => `参数 ${n} 没有值：请写 ${n}=<值>`],
  [
    /^parameter (\S+) has no value \(write (.+) for an empty value\)$/,
    (n, ex) => `参数 ${n} 没有值（空值请写 ${ex}）`,
  ],
  [
    /^unexpected word (".+") after the parameters: a value with spaces must be quoted, e\.g\. (.+)$/,
    (w, ex) => `参数之后不应有词 ${w}: 含空格的值须加引号，如 ${ex}`,
  ],
  [/^unexpected (".+") after the quoted value of (\S+)$/, (c, n) => `${n} 的引号值之后不应有 ${c}`],
  [/^unexpected (".+") in (".+")$/, (c, n) => `${n} 中不应有 ${c}`],
  [/^parameter (\S+) is given twice$/, (n) => `参数 ${n} 重复给出`],
  // Users
  [/^User (.*) does not exist$/, (u) => `用户 ${u} 不存在`],
  [
    /^(\S+) was changed since it was (.*) \(now (.*)\): nothing changed; read it again \(DSP CFG KEY=\S+\)$/,
    (k, was, now) =>
      `配置项 ${k} 在读取时为 ${was}，之后已被修改（当前为 ${now}）：未作修改；请重新读取（DSP CFG KEY=${k}）`,
  ],
  [
    /^User (\S+) was changed since (.+) \(Updated (.+)\): nothing changed; read it again \(DSP USER USERNAME=\S+\)$/,
    (u, since, now) =>
      `用户 ${u} 在 ${since} 之后已被修改（更新时间 ${now}）：未作修改；请重新读取（DSP USER USERNAME=${u}）`,
  ],
  [
    /^User (\S+) was updated within the second (.+) \(Updated (.+)\), which may hold more than one change: nothing changed; read it again to the millisecond \(DSP USER USERNAME=\S+\)$/,
    (u, second, now) =>
      `用户 ${u} 在 ${second} 这一秒内有更新（更新时间 ${now}），这一秒内可能有不止一次修改：未作修改；请重新读取，精确到毫秒（DSP USER USERNAME=${u}）`,
  ],
  [
    /^expected the user's Updated time as DSP USER shows it \(e\.g\. (.+)\), got (.*)$/,
    (eg, got) => `应为 DSP USER 所示的用户更新时间（如 ${eg}），实际为 ${got}`,
  ],
  [/^User (.*) (?:exists already|already exists)$/, (u) => `用户 ${u} 已存在`],
  [/^User (.*) added$/, (u) => `用户 ${u} 添加成功`],
  [/^User (.*) modified$/, (u) => `用户 ${u} 修改成功`],
  [
    /^User (\S+) modified; its (\d+) registration\(s\) removed \((\S+)\)$/,
    (u, n, s) => `用户 ${u} 修改成功；已删除其 ${n} 条注册（${s}）`,
  ],
  [/^User (.*) removed$/, (u) => `用户 ${u} 删除成功`],
  [
    /^User (\S+) removed, with its (\d+) registration\(s\)$/,
    (u, n) => `用户 ${u} 删除成功，并删除其 ${n} 条注册`,
  ],
  [
    /^DSP USER ALL of (\d+) users would take about (\d+) MB of memory to answer, and the JavaScript heap has (\d+) MB left \(node --max-old-space-size\): list them in pages \(LIMIT=(\d+) OFFSET=0, then OFFSET=(\d+)\.\.\.\) or export them \(EXP USER\)$/,
    (n, need, left, page) =>
      `DSP USER ALL 的 ${n} 个用户约需 ${need} MB 内存来应答，而 JavaScript 堆只剩 ${left} MB（node --max-old-space-size）：请分页列出（LIMIT=${page} OFFSET=0，然后 OFFSET=${page}...）或导出（EXP USER）`,
  ],
  [/^No users from OFFSET=(\d+): (\d+) match$/, (o, n) => `从 OFFSET=${o} 起没有用户: 共 ${n} 个匹配`],
  [
    /^Users (\d+)-(\d+) of (\d+)(?:; OFFSET=(\d+) shows the next)?$/,
    (a, b, n, next) => `用户 ${a}-${b}，共 ${n} 个${next === undefined ? '' : `；OFFSET=${next} 显示下一页`}`,
  ],
  [/^Imported (\d+) users from (.+)$/, (n, f) => `已从 ${f} 导入 ${n} 个用户`],
  [
    /^(\d+) registration\(s\) of users now INACTIVE or SUSPENDED removed$/,
    (n) => `已删除现为 INACTIVE 或 SUSPENDED 的用户的 ${n} 条注册`,
  ],
  [/^Exported (\d+) users to (.+)$/, (n, f) => `已导出 ${n} 个用户到 ${f}`],
  // An import refused (users.ts, users-csv.ts, original-users.ts): the file's problems, line by line.
  [
    /^Nothing imported: (.+?) line (\d+): (.*)$/,
    (f, n, why) => `未导入任何用户: ${f} 第 ${n} 行: ${zhText(why)}`,
  ],
  [/^Nothing imported: (.+): (\d+) bad entr(?:y|ies):$/, (f, n) => `未导入任何用户: ${f}: ${n} 个错误条目:`],
  [/^Nothing imported: (.*)$/s, (why) => `未导入任何用户: ${zhText(why)}`],
  [/^line (\d+): (.*)$/, (n, why) => `第 ${n} 行: ${zhText(why)}`],
  [
    /^line (\d+)(?:, entry "(.*?)"| \(user (.*?)\))(?:, (\S+))?: (.*)$/,
    (n, entry, user, field, why) =>
      `第 ${n} 行，用户 "${entry ?? user}"${field === undefined ? '' : `，字段 ${field}`}: ${zhText(why)}`,
  ],
  [/^and (\d+) more bad line\(s\)$/, (n) => `另有 ${n} 行错误`],
  [/^(user|password): (.*)$/, (f, why) => `${f === 'user' ? '用户名' : '密码'}: ${zhText(why)}`],
  [/^user (\S+) is on line (\d+) already$/, (u, n) => `用户 ${u} 已在第 ${n} 行出现`],
  [/^is given twice in the file$/, () => '在文件中重复出现'],
  [
    /^user (\S+) already exists \(import in upsert mode to update it\)$/,
    (u) => `用户 ${u} 已存在（以 UPSERT 模式导入可更新）`,
  ],
  [
    /^is (".*") but the entry's key is "(.*)"; they must be equal$/,
    (v, k) => `为 ${v}，但条目的键为 "${k}"；两者必须相同`,
  ],
  [/^is missing$/, () => '缺失'],
  [/^is missing \(a list entry must carry its username\)$/, () => '缺失（列表中的条目必须带有 username）'],
  [/^must be at most (\d+) characters$/, (n) => `最多 ${n} 个字符`],
  [
    /^must be an ISO 8601 date-time like (\S+), got (.*)$/,
    (ex, got) => `应为 ISO 8601 日期时间（如 ${ex}），实际为 ${got}`,
  ],
  [
    /^must be an object of user fields, got (.*)$/,
    (got) =>
      `应为用户字段组成的对象，实际为 ${got
        .replace(/^text \((\d+) characters\)$/, '文本（$1 个字符）')
        .replace(/^a number$/, '数字')
        .replace(/^a list$/, '列表')
        .replace(/^true or false$/, '布尔值')}`,
  ],
  [
    /^(?:(.+): )?expected a JSON object keyed by username, like (.*), or a list of users$/,
    (f, ex) => `${f === undefined ? '' : `${f}: `}应为以用户名为键的 JSON 对象（如 ${ex}）或用户列表`,
  ],
  [
    /^FILE (.+) is (\d+) bytes; at most 64 MB is read$/,
    (f, n) => `文件 ${f} 大小为 ${n} 字节；最多读取 64 MB`,
  ],
  [/^Cannot read FILE (.+?): (.*)$/, (f, why) => `无法读取文件 ${f}: ${zhText(why)}`],
  [
    /^(.+) is outside the data folder (.+): put the file there \(node core\/server\.js users import reads any file, on the server itself\)$/,
    (f, dir) =>
      `${f} 不在数据目录 ${dir} 内: 请把文件放到那里（在服务器本机上，node core/server.js users import 可读取任意文件）`,
  ],
  // The desktop app's (no CLI to name).
  [
    /^(.+) is outside the data folder (.+): put the file there$/,
    (f, dir) => `${f} 不在数据目录 ${dir} 内: 请把文件放到那里`,
  ],
  [
    /^(.+) is outside the data folder (.+): put the file there \(a relative FILE= is read from there: FILE=numbers\.csv\)$/,
    (f, dir) =>
      `${f} 不在数据目录 ${dir} 内: 请把文件放到那里（相对路径的 FILE= 从那里读取: FILE=numbers.csv）`,
  ],
  // IMP USER's FILE (commands/users.ts, prefixed FILE) and STR CALL BATCH's (dialer/numbers.ts).
  [/^(?:FILE )?(.+) is not a regular file$/, (f) => `文件 ${f} 不是普通文件`],
  [/^Note: (.*)$/, (n) => `注意: ${zhText(n)}`],
  [
    /^service types IMS Lab does not define, kept as given: (.+)$/,
    (l) => `IMS Lab 未定义的服务类型，按原样保留: ${l}`,
  ],
  [
    /^statuses other than ACTIVE, INACTIVE, SUSPENDED imported as INACTIVE \(the original let only ACTIVE register\): (.+)$/,
    (l) => `ACTIVE、INACTIVE、SUSPENDED 以外的状态按 INACTIVE 导入（原系统只允许 ACTIVE 注册）: ${l}`,
  ],
  [/^fields ignored: (.+)$/, (l) => `已忽略的字段: ${l}`],
  // Registrations and lockouts
  [/^No registration of user (.+)$/, (u) => `未找到用户 ${u} 的注册信息`],
  [/^No registration of URI (.+)$/, (u) => `未找到 URI '${u}' 的注册信息`],
  [/^Removed (\d+) registration\(s\) of (.+)$/, (n, a) => `已强制注销 ${a}，共 ${n} 条注册记录`],
  [
    /^Removed all (\d+) registration\(s\) of (\d+) AOR\(s\)$/,
    (n, a) => `已清除所有注册：${a} 个 AOR，共 ${n} 条注册记录`,
  ],
  [/^Registrations (\d+)-(\d+) of (\d+)$/, (a, b, n) => `注册记录 ${a}-${b}，共 ${n} 条`],
  [/^Give (\w+) or (\w+), not both$/, (a, b) => `请给出 ${a} 或 ${b}，不要同时给出`],
  [
    /^(\S+) is a part of (\d+) AORs \((.*)\); give the whole AOR(?:, e\.g\. URI=(\S+) or USERNAME=(\S+))?$/,
    (u, n, list, aor, user) =>
      `${u} 是 ${n} 个 AOR 的一部分（${list}），请给出完整的 AOR` +
      (aor === undefined ? '' : `，例如 URI=${aor} 或 USERNAME=${user}`),
  ],
  [/^No lockout or failed attempt recorded for (.+)$/, (w) => `没有${lockedWho(w)} 的锁定或认证失败记录`],
  [/^Lifted the lockout of (.+)$/, (w) => `已解除${lockedWho(w)} 的锁定`],
  // Calls
  [/^No live call (.+)$/, (c) => `未找到呼叫 ${c}`],
  [/^Live calls are not available: .*$/, () => '活跃呼叫不可用: 呼叫跟踪未运行'],
  [/^Calls (\d+)-(\d+) of (\d+)$/, (a, b, n) => `呼叫 ${a}-${b}，共 ${n} 个`],
  [
    /^(\S+) names (\d+) calls \((.*)\); give one ID$/,
    (c, n, ids) => `${c} 对应 ${n} 个呼叫（${ids}），请给出其中一个呼叫 ID`,
  ],
  [/^Call (\S+) has just ended by itself$/, (c) => `呼叫 ${c} 刚刚自行结束`],
  [
    /^Call (\S+) \((.+)\) ended: (.*)$/,
    (c, who, how) => `强制挂断成功: 呼叫 ${c}（${who}）: ${endedHow(how)}`,
  ],
  [
    /^Ended (\d+) call\(s\): (\d+) answered \(BYE sent to both parties\), (\d+) not answered \(cancelled\)$/,
    (n, a, u) => `已挂断 ${n} 个呼叫: ${a} 个已接听（已向双方发送 BYE），${u} 个未接听（已取消）`,
  ],
  // CDR
  [/^Call records are not available: .*$/, () => 'CDR 不可用: 没有打开 CDR 存储'],
  [/^Call detail records (\S+)$/, (d) => `${d} 的 CDR 记录`],
  // BEFORE=<record ID> of DSP CDR's paging (cdr-store.ts) names a record that is not there.
  [/^no CDR record (.*)$/, (id) => `没有编号为 ${id} 的 CDR 记录`],
  [
    /^No CDR record of (\S+)(?: where (.+))? matches$/,
    (d, w) => `没有 ${d}${w === undefined ? '' : `（条件 ${w}）`} 的 CDR 记录`,
  ],
  [/^No CDR record of (\S+) with Call-ID (.+)$/, (d, c) => `没有 ${d} Call-ID 为 ${c} 的 CDR 记录`],
  [
    /^No CDR record of (\S+)(?: \(type (\S+)\))?$/,
    (d, t) => `没有 ${d}${t === undefined ? ' ' : `（类型 ${t}）`}的 CDR 记录`,
  ],
  [
    /^(\d+) CDR record\(s\) of (\S+)(?: \(type (\S+)\))?$/,
    (n, d, t) => `${d}${t === undefined ? '' : `（类型 ${t}）`} 共 ${n} 条 CDR 记录`,
  ],
  [
    /^(?:(\S+) records|Records) of (\S+)(?: where (.+?))?: (\d+) of (\d+) shown, newest first(; next page: (.*))?$/,
    (t, d, w, a, b, _x, next) =>
      `${recordsOf(t, d)}${where(w)}: 显示 ${a}/${b} 条，最新的在前${next ? `；下一页: ${next}` : ''}`,
  ],
  [
    /^(?:(\S+) records|Records) of (\S+)(?: where (.+?))?: no more records$/,
    (t, d, w) => `${recordsOf(t, d)}${where(w)}: 没有更多记录`,
  ],
  [/^Older commands: (DSP HISTORY .*)$/, (next) => `更早的命令: ${next}`],
  [/^The export file could not be written: (.*)$/, (why) => `无法写入导出文件: ${why}`],
  [
    /^Exported (\d+) CDR record\(s\) of (\S+)(?: \(type (\S+)\))?(?: where (.+?))? to (.+)$/,
    (n, d, t, w, f) =>
      `已导出 ${d}${t === undefined ? ' ' : `（类型 ${t}）`}${where(w)}的 ${n} 条 CDR 记录到 ${f}`,
  ],
  [
    /^the records of the last (\d+) days are kept; BEFORE must be (\S+) or earlier, got (\S+) \(CLR CDR ALL deletes everything\)$/,
    (n, limit, got) =>
      `最近 ${n} 天的记录须保留；BEFORE 应不晚于 ${limit}，实际为 ${got}（CLR CDR ALL 删除全部记录）`,
  ],
  [
    /^Deleted (?:all (\d+)|(\d+)) CDR record\(s\)(?: dated before (\S+))? and (?:no CSV day folder|(\d+) CSV day folder\(s\) \((.*)\)); exports are kept$/,
    (all, n, before, days, list) =>
      `已删除${before === undefined ? '全部' : ` ${before} 之前的`} ${all ?? n} 条 CDR 记录和` +
      `${days === undefined ? ' 0 个 CSV 日目录' : ` ${days} 个 CSV 日目录（${list}）`}；导出文件保留`,
  ],
  // Configuration and log
  [/^Configuration exported to (.+)$/, (f) => `配置导出成功: ${f}`],
  [
    /^Saved (.+) to (.+?); the next start does not use (.+)$/,
    (k, f, keys) =>
      `已保存 ${k} 到 ${f}；下次启动不会使用 ${keys.replace(/ \(the environment variable (\S+) wins over it\)/g, '（环境变量 $1 优先）')}`,
  ],
  [/^Saved (.+) to (.+)$/, (k, f) => `已保存 ${k} 到 ${f}`],
  [/^Nothing to save: .*$/, () => '没有需要保存的配置（上次保存后未修改）'],
  [/^Configuration not saved: (.*)$/s, (why) => `配置未保存: ${zhText(why)}`],
  [
    /^(.+): not valid JSON \((.*)\); not overwritten$/s,
    (f, why) => `${f}: 不是有效的 JSON（${why}），未覆盖`,
  ],
  [/^(.+): expected a JSON object; not overwritten$/, (f) => `${f}: 应为 JSON 对象，未覆盖`],
  [/^Cannot write (.+?): (.*)$/, (f, why) => `无法写入 ${f}: ${why}`],
  [
    /^ims-lab\.db is locked by another program \(a write transaction open on (.+?): .*$/s,
    (f) =>
      `ims-lab.db 被另一个程序锁定（${f} 上有未结束的写事务：DB Browser for SQLite 有未保存的修改，或 sqlite3 在 BEGIN 之后），或被 IMS Lab 自己的长时间写入占用（IMP USER 或 CLR CDR 仍在进行）：关闭该程序，或在其中保存或回滚，然后重试`,
  ],
  [
    /^Not saved: (.+) \(SAVE CFG writes config\.json\)$/,
    (ks) => `未保存: ${ks}（SAVE CFG 写入 config.json）`,
  ],
  [/^Waiting for a restart: (.+)$/, (ks) => `等待重启生效: ${ks}`],
  [/^The environment wins at every start over: (.+)$/, (ks) => `每次启动时环境变量优先于: ${ks}`],
  [/^(\S+) is called (\S+) here$/, (a, b) => `${a} 在此称为 ${b}`],
  [
    /^(.*) is no setting here: (.+)$/,
    (k, where) => `${k} 在此不是配置项：${ZH_ORIGINAL_SHOWN[where] ?? where}`,
  ],
  [
    /^No setting matches (.*) \(DSP CFG lists them all\)$/,
    (k) => `没有与 ${k} 匹配的配置项（DSP CFG 列出全部）`,
  ],
  [/^([A-Z][A-Z0-9_.]*) = (.*) \(was (.*)\)$/, (k, v, was) => `${k} = ${v}（原值 ${was}）`],
  [
    /^the environment variable (\S+) sets it at start-up and wins over config\.json$/,
    (env) => `环境变量 ${env} 在启动时设置此项，优先于 config.json`,
  ],
  [
    /^Log level (\w+)(?:, (\w+) and above shown)?; (\d+) record\(s\)(?:; older records: (DSP LOG .*))?$/,
    (l, shown, n, next) =>
      `日志级别 ${l}${shown === undefined ? '' : `，显示 ${shown} 及以上`}；${n} 条日志${olderLogs(next)}`,
  ],
  [
    /^(.+\.log): (\d+) record\(s\)(?:; older records: (DSP LOG .*))?$/,
    (f, n, next) => `${f}: ${n} 条日志${olderLogs(next)}`,
  ],
  [/^No log file for (.*?): (.+)$/, (d, f) => `日志文件不存在: ${d}（${f}）`],
  [/^Cannot read (.+?): (.*)$/, (f, why) => `无法读取 ${f}: ${why}`],
  // Performance
  [/^Sampled over ([\d.]+) s$/, (s) => `采样周期 ${s} 秒`],
  [/^Last (\d+) samples$/, (n) => `最近 ${n} 个采样`],
  // Dialer
  [
    /^Auto dialer started: (\S+) registered from (\S+?)(; user \S+ was created for it \(DIALER\.USERNAME, DIALER\.PASSWORD\))?(; its password is DIALER\.PASSWORD(?:, still its default (\S+))? \(SET CFG KEY=DIALER\.PASSWORD VALUE=\.\.\., then STP DIALSVC and STR DIALSVC, changes it\); the account is INACTIVE while the dialer is stopped)?$/,
    (a, from, created, note, def) =>
      `外呼服务已启动: 外呼账号 ${a} 已从 ${from} 注册${created === undefined ? '' : `；已为其创建用户 ${a}（DIALER.USERNAME、DIALER.PASSWORD）`}` +
      (note === undefined
        ? ''
        : `；其密码为 DIALER.PASSWORD${def === undefined ? '' : `，仍是缺省值 ${def}`}（修改: SET CFG KEY=DIALER.PASSWORD VALUE=...，然后 STP DIALSVC、STR DIALSVC）；外呼服务停止期间该账号为 INACTIVE`),
  ],
  [/^No campaign (.*)$/, (c) => `没有外呼任务 ${c}`],
  [
    /^the digits (\S+) need ([\d.]+) s of media \(from ([\d.]+) s after the answer, 0\.2 s a digit\), more than (.+): give DURATION=([\d.]+) or more$/,
    (d, need, from, media, give) =>
      `号码 ${d} 需要 ${need} 秒媒体（应答后 ${from} 秒开始，每位 0.2 秒），超过 ${media.replace(/^the prompt's ([\d.]+) s \(DURATION=0\)$/, '媒体文件的 $1 秒（DURATION=0）')}: 请给出 DURATION=${give} 或更长`,
  ],
  [/^Calls of (.*) \(most recent\)$/, (c) => `外呼任务 ${c} 的呼叫（最近的）`],
  [/^Calls of (.*) in progress$/, (c) => `外呼任务 ${c} 进行中的呼叫`],
  [/^Campaign (\S+): times and settings$/, (c) => `外呼任务 ${c} 的时间与设置`],
  [/^(\d+) numbers: at most (\d+) in one campaign$/, (n, max) => `${n} 个号码: 一个外呼任务最多 ${max} 个`],
  [
    /^Calling (\d+ numbers|\S+)(?: \((\d+) repeats? left out\))? in the background: campaign (\S+) \(DSP DIALSVC CAMPAIGN=(\S+) follows it\)$/,
    (what, repeats, c, id) =>
      `正在后台呼叫 ${what.replace(/^(\d+) numbers$/, '$1 个号码')}${repeats === undefined ? '' : `（已略去 ${repeats} 个重复号码）`}: 外呼任务 ${c}（DSP DIALSVC CAMPAIGN=${id} 查看进度）`,
  ],
  [/^Stopped (\d+) campaigns?: calls ended$/, (n) => `已停止 ${n} 个外呼任务: 呼叫已结束`],
  [
    /^no setting (.*?)(?: \(did you mean (\S+)\?\))?: DSP CFG lists them all$/,
    (k, near) =>
      `没有配置项 ${k}${near === undefined ? '' : `（是否要找 ${near}？）`}：DSP CFG 列出全部配置项`,
  ],
  [/^The auto dialer is already (\S+)$/, (s) => `外呼服务已${DIALER_STATES[s] ?? `处于 ${s} 状态`}`],
  [/^cannot create the dialer's account (\S+): (.*)$/, (u, why) => `无法创建外呼账号 ${u}: ${why}`],
  [
    /^DIALER\.USERNAME (\S+) is a user whose password is not DIALER\.PASSWORD: set DIALER\.PASSWORD to it, or choose another DIALER\.USERNAME \(the dialer does not change a user's password\)$/,
    (u) =>
      `DIALER.USERNAME ${u} 是已有用户，其密码不是 DIALER.PASSWORD：请把 DIALER.PASSWORD 设为该密码，或换一个 DIALER.USERNAME（外呼服务不会修改用户的密码）`,
  ],
  [
    /^cannot open the dialer's SIP port (\S+)( \(DIALER\.LOCAL_(?:PORT|IP)\))?: (.*)$/,
    (p, setting, why) => `无法打开外呼 SIP 端口 ${p}${setting ?? ''}: ${why}`,
  ],
  [
    /^DIALER\.LOCAL_IP (\S+) is not an address of this machine now \(its interface down, or the address gone\): the auto dialer cannot start \(STR DIALSVC\) until it is, the rest of IMS Lab runs; bring the interface up, or give the dialer another address: (SET CFG .+), then SAVE CFG$/,
    (ip, set) =>
      `DIALER.LOCAL_IP ${ip} 目前不是本机的地址（其网卡未启用，或地址已不存在）：在它恢复之前外呼服务无法启动（STR DIALSVC），IMS Lab 的其余部分照常运行；请启用该网卡，或给外呼另一个地址：${set}，然后 SAVE CFG`,
  ],
  [
    /^registering (\S+) failed: (403 .*): (\S+) is locked out after failed authentications; RMV LOCKOUT SOURCE=(\S+) lifts it \(AUTH\.LOCKOUT_SOURCE_FAILURES: how many failures from one address lock it, 0 never\)$/,
    (u, why, a, s) =>
      `注册 ${u} 失败: ${why}: 地址 ${a} 因鉴权失败次数过多被锁定；RMV LOCKOUT SOURCE=${s} 可解除（AUTH.LOCKOUT_SOURCE_FAILURES: 一个地址失败多少次后被锁定，0 表示从不）`,
  ],
  [/^registering (\S+) failed: (.*)$/, (u, why) => `注册 ${u} 失败: ${why}`],
  [
    /^range (\S+) has (\d+) numbers; at most (\d+) are allowed$/,
    (r, n, max) => `号段 ${r} 有 ${n} 个号码；最多允许 ${max} 个`,
  ],
  [/^more than (\d+) numbers in one campaign$/, (max) => `一个外呼任务中号码超过 ${max} 个`],
  [/^(".*") is not a number that can be dialled$/, (n) => `${n} 不是可拨打的号码`],
  [
    /^one number only, got (\d+); give a list as (.+)$/,
    (n, cmd) => `只能是一个号码，实际为 ${n} 个；号码列表请用 ${cmd}`,
  ],
  [/^cannot read (.+): (\S+)$/, (f, code) => `无法读取 ${f}: ${code}`],
  [
    /^(.+): no such file in (.+); prompts belong in (.+)$/,
    (f, dirs, home) => `${f}: 文件不存在（依次查找了 ${dirs}）；媒体文件应放在 ${home}`,
  ],
  [
    /^(.+) is (UTF-16|UTF-32) text \(it starts with its byte order mark\): a numbers file must be UTF-8 or ASCII text; save it as UTF-8$/,
    (f, enc) =>
      `${f} 是 ${enc} 文本（以其字节顺序标记开头）: 号码文件必须是 UTF-8 或 ASCII 文本，请另存为 UTF-8`,
  ],
  [
    /^(.+) holds NUL bytes \(UTF-16 or UTF-32 text, or not text\): a numbers file must be UTF-8 or ASCII text; save it as UTF-8$/,
    (f) =>
      `${f} 含有 NUL 字节（UTF-16 或 UTF-32 文本，或者不是文本）: 号码文件必须是 UTF-8 或 ASCII 文本，请另存为 UTF-8`,
  ],
  [
    /^FILE (.+) (?:is (UTF-16|UTF-32) text \(it starts with its byte order mark\)|holds NUL bytes \(UTF-16 or UTF-32 text, or not text\)): save it as UTF-8$/,
    (f, enc) =>
      `文件 ${f} ${enc === undefined ? '含有 NUL 字节（UTF-16 或 UTF-32 文本，或者不是文本）' : `是 ${enc} 文本（以其字节顺序标记开头）`}: 请另存为 UTF-8`,
  ],
  [
    /^FILE (.+) is not UTF-8 text \(line (\d+): GBK, Latin-1 or binary bytes\): save it as UTF-8$/,
    (f, n) => `文件 ${f} 不是 UTF-8 文本（第 ${n} 行：GBK、Latin-1 或二进制字节）: 请另存为 UTF-8`,
  ],
  [
    /^(.+) is not UTF-8 text \(line (\d+): GBK, Latin-1 or binary bytes\): (?:a numbers file must be UTF-8 or ASCII text; )?save it as UTF-8$/,
    (f, n) => `${f} 不是 UTF-8 文本（第 ${n} 行：GBK、Latin-1 或二进制字节）: 请另存为 UTF-8`,
  ],
  // A setting a listener could not apply (settings.ts change): before the file patterns below, which
  // would take "DIALER.MEDIA_FILE cannot be applied: <file>" for the file's name.
  [/^([A-Z][A-Z0-9_]*\.[A-Z0-9_.]+) (cannot be applied: .+)$/s, (key, why) => `${key} ${zhText(why)}`],
  [/^(.+): no such file$/, (f) => `${f}: 文件不存在`],
  [/^(.+): not a file$/, (f) => `${f}: 不是文件`],
  [/^(.+): no audio samples$/, (f) => `${f}: 没有音频采样`],
  // Trace
  [
    /^in memory: (\d+) dialogs?, (\d+) messages \(([\d.]+) MB of (\d+)\)(?:, (\d+) older let go)?$/,
    (d, m, used, max, gone) =>
      `内存中: 会话 ${d} 个，消息 ${m} 条（已用 ${used} MB，上限 ${max} MB）${gone === undefined ? '' : `，已丢弃较早的 ${gone} 条`}`,
  ],
  [/^in memory: off \(TRACE\.RING_MESSAGES=0\)$/, () => '内存中: 已关闭（TRACE.RING_MESSAGES=0）'],
  [/^trace\.db on: (\d+) messages \(([\d.]+) MB\)$/, (n, mb) => `trace.db 已开启: 消息 ${n} 条（${mb} MB）`],
  [/^HEP to (\S+): (\d+) sent, (\d+) failed$/, (to, s, f) => `HEP 发往 ${to}: 已发送 ${s} 条，失败 ${f} 条`],
  [
    /^No message of Call-ID (.*) is held \(the trace keeps the newest (\d+) messages in memory and let older ones go: TRACE\.RING_MESSAGES keeps more, TRACE\.PERSIST keeps them in trace\.db\)$/s,
    (c, n) =>
      `没有保留 Call-ID ${c} 的消息（跟踪在内存中只保留最新的 ${n} 条消息，更早的已丢弃：TRACE.RING_MESSAGES 可保留更多，TRACE.PERSIST 可保存到 trace.db）`,
  ],
  [/^No message of Call-ID (.*) is held$/, (c) => `没有保留 Call-ID ${c} 的消息`],
  [/^Call-ID (.+): (\d+) messages?$/, (c, n) => `Call-ID ${c}: 共 ${n} 条消息`],
  [/^Messages without a Call-ID: (\d+) messages?$/, (n) => `没有 Call-ID 的消息: 共 ${n} 条`],
  [
    /^(.+) is part of (\d+) Call-IDs \((.*)\); give one$/s,
    (c, n, ids) => `${c} 是 ${n} 个 Call-ID 的一部分（${ids}），请给出其中一个`,
  ],
  [
    /^(\d+) messages of Call-ID (.+) written to (.+?)(?:; (\d+) never sent \(no packet\) left out)?$/,
    (n, c, f, left) =>
      `已将 Call-ID ${c} 的 ${n} 条消息写入 ${f}${left === undefined ? '' : `；${left} 条从未发出（无数据包），未写入`}`,
  ],
  [/^No traced dialog matches the filters$/, () => '没有符合筛选条件的跟踪会话'],
  [
    /^(\d+) messages of (\d+) dialogs written to (.+?)(?:; (\d+) never sent \(no packet\) left out)?(?:; the first (\d+) of (\d+) dialogs \(at most (\d+) messages a file: narrow FROM and TO for the rest\))?$/,
    (n, d, f, left, first, total, max) =>
      `已将 ${d} 个会话的 ${n} 条消息按时间顺序写入 ${f}${left === undefined ? '' : `；${left} 条从未发出（无数据包），未写入`}${first === undefined ? '' : `；只写了 ${total} 个会话中的前 ${first} 个（每个文件最多 ${max} 条消息：缩小 FROM 和 TO 导出其余的）`}`,
  ],
  [
    /^give a Call-ID, or filters \(FROM and TO, USER, METHOD, FINAL, ADDRESS, KIND\) for the dialogs to write in one file$/,
    () =>
      '请给出一个 Call-ID，或给出筛选条件（FROM 和 TO、USER、METHOD、FINAL、ADDRESS、KIND），把符合的会话写入一个文件',
  ],
  [
    /^Trace cleared: (\d+) messages in memory, (\d+) in trace\.db$/,
    (r, s) => `信令跟踪已清除: 内存中 ${r} 条消息，trace.db 中 ${s} 条`,
  ],
  // A setting's problem: "PROXY.TIMER_C expected an integer 1000..600000, got "x"".
  [
    /^([A-Z][A-Z0-9_]*\.[A-Z0-9_.]+) ((?:expected|must|cannot|unknown) .+)$/s,
    (key, why) => `${key} ${zhText(why)}`,
  ],
  // What a change of the RTP range would do to the dialer (settings.ts).
  [
    /^([A-Z][A-Z0-9_]*\.[A-Z0-9_.]+) (leaves the RTP range .+|puts DIALER\.LOCAL_PORT .+)$/s,
    (key, why) => `${key} ${zhText(why)}`,
  ],
  [
    /^(UDP|TCP) port (\d+) is (\S+)'s too: give each listener its own port$/,
    (kind, port, other) => `${kind} 端口 ${port} 也是 ${other} 的端口：请给每个监听各自的端口`,
  ],
  [
    /^it is IPv(4|6) while (\S+) is IPv(4|6) \((.+)\): the SIP listeners would be advertised at an address of a family they do not listen on \(SIP\.HOST :: listens on both\)$/,
    (mine, other, theirs, value) =>
      `它是 IPv${mine} 地址，而 ${other} 是 IPv${theirs} 地址（${value}）：SIP 监听会以一个它们并未监听的地址族的地址对外通告（SIP.HOST 为 :: 时两者都监听）`,
  ],
  [
    /^(UDP|TCP) (\S+) is already in use by another program \(another SIP server, another IMS Lab\?\): stop it, or choose another port$/,
    (kind, at) =>
      `${kind} ${at} 已被其他程序占用（另一个 SIP 服务器或另一个 IMS Lab？）：请停止它，或换一个端口`,
  ],
  [
    /^leaves the RTP range DIALER\.RTP_PORT_MIN\.\.DIALER\.RTP_PORT_MAX \((\d+)\.\.(\d+)\) no even port with the next one above it: each call takes such a pair \(RTP, RTCP\)$/,
    (min, max) =>
      `会使 RTP 端口范围 DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX（${min}..${max}）中没有偶数端口及其后一个端口：每个呼叫占用这样一对端口（RTP、RTCP）`,
  ],
  [
    /^it is SIP\.PORT, IMS Lab's own SIP port: give the dialer another port, or 0 for a free one$/,
    () => '它是 SIP.PORT，即 IMS Lab 自己的 SIP 端口：请给外呼另一个端口，或 0 表示任一空闲端口',
  ],
  [
    /^(\d+) is inside the dialer's RTP range DIALER\.RTP_PORT_MIN\.\.DIALER\.RTP_PORT_MAX \((\d+)\.\.(\d+)\): give the dialer's SIP port one outside it, or 0 for a free one$/,
    (p, min, max) =>
      `${p} 在外呼的 RTP 端口范围 DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX（${min}..${max}）之内：请给外呼的 SIP 端口一个范围外的端口，或 0 表示任一空闲端口`,
  ],
  [
    /^puts DIALER\.LOCAL_PORT \((\d+)\), the dialer's SIP port, inside the RTP range DIALER\.RTP_PORT_MIN\.\.DIALER\.RTP_PORT_MAX \((\d+)\.\.(\d+)\): keep the range clear of it(?:, or set the dialer's ports in one command, checked together: (SET CFG .+))?$/,
    (p, min, max, command) =>
      `会使 RTP 端口范围 DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX（${min}..${max}）包含外呼的 SIP 端口 DIALER.LOCAL_PORT（${p}）：请让范围避开它${command === undefined ? '' : `，或在一条命令中同时设置外呼的各端口（一并检查）：${command}`}`,
  ],
  // SET CFG of the dialer's ports together (dialer-ports.ts).
  [
    /^goes with (KEY=\S+(?:, KEY=\S+)*) only \(the dialer's ports set in one command\)$/,
    (keys) => `只能与 ${keys} 一起使用（在一条命令中设置外呼的各端口）`,
  ],
  [/^(\S+) is KEY= already \(VALUE= gives it\)$/, (key) => `${key} 已由 KEY= 给出（其值由 VALUE= 给出）`],
  [
    /^the address (\S+) is not one of this machine's: the dialer's SIP and RTP sockets cannot bind it \(empty: the server's address\)$/,
    (a) => `地址 ${a} 不是本机的地址：外呼的 SIP 和 RTP 套接字无法绑定它（为空: 使用服务器的地址）`,
  ],
  [
    /^(\S+) is link-local: the dialer's sockets cannot bind it without an interface, and SIP cannot name one: give a global or unique-local \(fd00::\/8\) address, or empty \(the server's address\)$/,
    (a) =>
      `${a} 是链路本地地址：外呼的套接字不指定接口就无法绑定它，而 SIP 无法指明接口：请给出全局或唯一本地（fd00::/8）地址，或为空（使用服务器的地址）`,
  ],
  // An advertised address with a zone, or IPv4-mapped (advertised-address.ts).
  [
    /^a zone \((%\S+)\) names an interface of this machine, nothing to a peer, and an address in SIP has none \(RFC 3261 §25\.1\): give the address alone \((\S+)\)$/,
    (zone, a) =>
      `区域标识（${zone}）是本机某个接口的名称，对对端没有意义，SIP 中的地址也不带区域标识（RFC 3261 §25.1）：请只给出地址（${a}）`,
  ],
  [
    /^an IPv4-mapped address is an IPv4 one, which IPv6 peers cannot reach: write the IPv4 address as IPv4, or give an IPv6 one$/,
    () =>
      'IPv4 映射地址实为 IPv4 地址，IPv6 对端无法到达：请把 IPv4 地址写成 IPv4 形式，或给出一个 IPv6 地址',
  ],
  // SET CFG of the TLS certificate or its key alone (tls-pair.ts).
  [
    /^(SIP\.TLS_CERT|SIP\.TLS_KEY) needs its (private key|certificate), and (SIP\.TLS_KEY|SIP\.TLS_CERT) is empty \(the next start refuses one without the other\): set both in one command, (SET CFG .+)$/,
    (key, what, other, command) =>
      `${key} 需要${what === 'certificate' ? '其证书' : '其私钥'}，而 ${other} 为空（下次启动会拒绝只设置其中一个）：请在一条命令中同时设置两者，${command}`,
  ],
  [
    /^(SIP\.TLS_CERT|SIP\.TLS_KEY) "" would leave (SIP\.TLS_KEY|SIP\.TLS_CERT) \((.*)\) alone \(the next start refuses one without the other\): to use the data folder's certificate \(tls\/\), empty both in one command, (SET CFG .+)$/,
    (key, other, value, command) =>
      `${key} 为 "" 会使 ${other}（${value}）单独存在（下次启动会拒绝只设置其中一个）：要使用数据目录中的证书（tls/），请在一条命令中把两者都设为空，${command}`,
  ],
  [
    /^SIP\.TLS_CERT and SIP\.TLS_KEY are both set or both empty \(the next start refuses one without the other\)$/,
    () => 'SIP.TLS_CERT 和 SIP.TLS_KEY 必须同时设置或同时为空（下次启动会拒绝只设置其中一个）',
  ],
  [
    /^goes with KEY=SIP\.TLS_CERT only \(the certificate and its private key set in one command\)$/,
    () => '只能与 KEY=SIP.TLS_CERT 一起使用（在一条命令中同时设置证书及其私钥）',
  ],
  [
    /^the address (\S+) is not one of this machine's \(the next start would refuse it\)$/,
    (a) => `地址 ${a} 不是本机的地址（下次启动会拒绝它）`,
  ],
  [
    /^(\d+) MB is more than the JavaScript heap can spare for the trace ring: at most (\d+) MB, a quarter of the heap's limit \((\d+) MB, V8's heap_size_limit; node --max-old-space-size=<MB> raises it\)$/,
    (mb, most, limit) =>
      `${mb} MB 超出了 JavaScript 堆能留给信令跟踪环形缓冲区的内存：最多 ${most} MB，即堆上限（${limit} MB，V8 的 heap_size_limit；node --max-old-space-size=<MB> 可提高）的四分之一`,
  ],
  // Last: a setting's refusal without its value (a secret's: setting-refusal.ts), after every other "must be".
  [/^must be (.+)$/s, (what) => zhMustBe(what)],
];

/**
 * One text (a message line, a reason inside one, a title) in Chinese: a known phrase, a known pattern,
 * or clauses separated by "; " each translated; English when unknown.
 */
export function zhText(text: string): string {
  if (Object.hasOwn(ZH_WORDS, text)) return ZH_WORDS[text]!;
  for (const [pattern, replace] of ZH_PATTERNS) {
    const m = pattern.exec(text);
    if (m !== null) return replace(...(m.slice(1) as string[]));
  }
  if (text.includes('; ')) return text.split('; ').map(zhText).join('；');
  return text;
}

/** HELP descriptions by command name. */
export const ZH_COMMAND_HELP: Readonly<Record<string, string>> = {
  HELP: '显示所有命令，或一条命令（HELP DSP USER）及其参数；HELP HOTKEY 显示终端快捷键',
  'DSP SYSINFO': '查询系统信息：版本、平台、运行时间、CPU、内存、数据目录',
  'DSP SRVSTAT': '查询服务状态：运行时间、端口、地址、注册、呼叫、事务、消息',
  'DSP HISTORY': '查询执行过的命令，最新的在后（重启后保留；超过 200 个字符的命令截短显示）',
  'DSP USER': '查询指定用户（USERNAME）或用户列表，可过滤、分页（ALL：全部用户，除非给出 LIMIT）',
  'ADD USER': '添加用户',
  'MOD USER': '修改用户；未给出的字段保持不变',
  'RMV USER': '删除用户及其注册',
  'IMP USER': '批量导入用户：原系统的 users.json 或 SIPp 注入文件（每行 用户名;密码）；全部导入或全部不导入',
  'EXP USER':
    '导出所有用户到 <数据目录>/exports/users_export_<时间>.json，格式同原系统的 users.json，密码为明文（IMP USER 可重新导入）',
  'DSP REG': '查询注册列表：全部，或按用户、AOR、Contact 查询（ALL：全部注册，除非给出 LIMIT）',
  'DSP REG STAT': '查询注册统计：注册用户数和绑定数',
  'RMV REG': '强制注销用户或 AOR 的注册（不通知终端，终端可再次注册）',
  'CLR REG': '清除所有注册',
  'DSP LOCKOUT': '查询因鉴权失败被锁定的地址（及来自这些地址的用户名）',
  'RMV LOCKOUT': '解除锁定：某个地址、某个用户名（所有地址），或来自某个地址的某个用户名',
  'DSP CALL':
    '查询活跃呼叫（全部，或按 Call-ID、主叫、被叫、状态；ALL：全部呼叫，除非给出 LIMIT）；CALLID 显示一个呼叫的详情',
  'DSP CALL STAT': '查询呼叫统计：按状态统计活跃呼叫，并汇总今日 CDR 中的呼叫',
  'RMV CALL': '强制挂断呼叫：已接听发 BYE 给双方，未接听发 CANCEL（CDR 中记为 "Ended by operator"）',
  'CLR CALL': '挂断所有活跃呼叫：已接听的向双方发 BYE，其余发 CANCEL',
  'DSP CDR': '查询某日的 CDR 记录，最新的在前；BEFORE=<记录编号> 显示下一页',
  'DSP CDR STAT': '查询某日 CDR 统计：按类型、状态，以及接听呼叫的通话和建立时长',
  'EXP CDR': '导出某日的 CDR 到 CDR/exports/cdr_export_<日期>[_<类型>]_<时间>.csv',
  'CLR CDR': '删除某日期（至少 7 天前）之前的 CDR（数据库记录和 CSV 日目录），或全部（ALL）；导出文件保留',
  'DSP CFG': '查询系统配置：当前值、缺省值、来源、取值范围',
  'SET CFG': '修改配置项（SAVE CFG 保存到重启后）',
  'EXP CFG': '导出所有配置到 <数据目录>/exports/config_export_<时间>.json',
  'SAVE CFG': '把运行时修改的配置写入 <数据目录>/config.json，重启后保留',
  'SET LOG': '立即修改日志级别（SAVE CFG 保存到重启后）',
  'DSP LOG':
    '查询最近日志（内存中今日的，或用 DATE 读取某日的日志文件），可按级别、关键字过滤；DSP LOG CFG: 日志配置及文件',
  'DSP PERF': '查询最近一秒的 CPU、内存、网络、SIP 消息速率、事件循环延迟和垃圾回收（每秒采样）',
  'STR DIALSVC': '启动外呼服务：注册外呼账号',
  'STP DIALSVC': '停止外呼服务：结束外呼并注销账号',
  'DSP DIALSVC': '查询外呼服务：状态、注册、外呼任务及其 ASR、ACD、PDD、RTP 指标',
  'DSP DIALSVC CFG': '查询外呼服务配置：服务器、账号、本地地址和端口、媒体文件',
  'STR CALL': '发起外呼：单次（CALLEE）或批量（NUMBERS、FILE），同 STR CALL SINGLE / STR CALL BATCH',
  'STR CALL SINGLE': '发起单次外呼，接听后播放 WAV 文件',
  'STR CALL BATCH': '批量外呼一组号码，每个呼叫播放 WAV 文件',
  'STP CALL': '停止外呼任务：结束进行中的呼叫（BYE / CANCEL），不再发起新的呼叫',
  'DSP TRACE': '查询符合过滤条件的信令跟踪会话，最新的在前；带 CALLID 时画出该会话的信令流程图',
  'EXP TRACE':
    '把一个 Call-ID 的消息，或符合筛选条件的所有会话的消息（按时间顺序）导出到 <数据目录>/trace/exports/：pcap 文件（Wireshark、tshark）或文本',
  'SET TRACE': '开启或关闭在 trace.db 中保存信令，设置其限制和 HEP 采集器（SAVE CFG 保存到重启后）',
  'CLR TRACE': '清除所有跟踪的消息，包括内存中和 trace.db 中的',
};
