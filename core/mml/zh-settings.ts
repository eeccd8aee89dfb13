// Chinese for what DSP CFG says about each setting (core/config/settings.ts): its description, keyed by
// the setting key (so a reworded English help still maps; the coverage test checks every key has one),
// its type and where its value comes from. Keys, values, examples and units stay as they are.
import type { SettingSource, SettingType } from '../config/settings';
import { ZH_PARAM_TYPES } from './zh-params';

/** Setting descriptions by setting key. */
export const ZH_SETTING_HELP: Readonly<Record<string, string>> = {
  // SIP
  'SIP.SERVER_IP': '在 Via 和 Record-Route 中通告的地址（为空: 自动检测）',
  'SIP.SERVER_IP6':
    'SIP.HOST 为 :: （同时监听 IPv4 和 IPv6）且 SERVER_IP 不是 IPv6 时，向 IPv6 对端通告的 IPv6 地址（为空: 自动检测）',
  'SIP.LOCAL_NETWORK_CIDR': 'NAT 处理时视为本地的网段（逗号分隔的列表）',
  'SIP.HOST': 'SIP 监听绑定的地址',
  'SIP.PORT': 'SIP 端口，UDP 和 TCP 共用（0: 任选一个空闲端口）',
  'SIP.TCP': '同时在 TCP 上监听',
  'SIP.TLS_PORT': 'SIP TLS 端口（0: 关闭；SIP.PORT 为 0 时任选一个空闲端口）',
  'SIP.TLS_CERT': 'TLS 证书链，PEM 文件（为空: 使用 <数据目录>/tls/cert.pem，自动生成的自签名证书）',
  'SIP.TLS_KEY': 'TLS 私钥，PEM 文件（与 SIP.TLS_CERT 配套）',
  'SIP.TLS_CA': 'CA 证书包，PEM 文件: 设置后，TLS 客户端必须出示由其签发的证书',
  'SIP.WS_PORT': 'SIP WebSocket 端口，RFC 7118（0: 关闭；SIP.PORT 为 0 时任选一个空闲端口）',
  'SIP.WSS_PORT': 'SIP 安全 WebSocket (WSS) 端口（0: 关闭；SIP.PORT 为 0 时任选一个空闲端口）',
  'SIP.WS_ORIGINS': '允许的 WebSocket 连接来源，如 https://lab.example（为空: 不限）',
  'SIP.TCP_MAX_CONNECTIONS': '同时存在的 TCP 连接数上限（0: 不限）',
  'SIP.TLS_MAX_CONNECTIONS': '同时存在的 TLS 连接数上限，包括握手中的连接（0: 不限）',
  'SIP.WS_MAX_CONNECTIONS': '每个监听端口同时存在的 WebSocket 连接数上限（0: 不限）',
  'SIP.TCP_IDLE_TIMEOUT': 'TCP 连接空闲多少秒后关闭（其上注册的绑定或经过它的呼叫存续期间保持）',
  'SIP.TLS_IDLE_TIMEOUT': 'TLS 连接空闲多少秒后关闭（其上注册的绑定或经过它的呼叫存续期间保持）',
  'SIP.WS_IDLE_TIMEOUT':
    'WebSocket 连接空闲多少秒后发送 PING 帧；30 秒内无应答则关闭（其上的注册绑定随之结束）',
  'SIP.HANDSHAKE_TIMEOUT': 'TLS 握手或 WebSocket 升级的最长时间（秒）',
  'SIP.MESSAGE_TIMEOUT':
    'TCP、TLS 或 WebSocket 连接上已开始的消息须在上一条完整消息之后多少秒内完整到达；逐字节拖延的对端会被断开，TCP 或 TLS 连接建立后这么久仍未发送任何内容的也会被断开（0: 不限）',
  'SIP.DOMAIN': '规范 AOR 的域名（sip:user@domain）',
  'SIP.DOMAINS': '除本机地址外服务的域名（为空: 任何主机名都对应同一组用户）',
  'SIP.MAX_MESSAGE_SIZE': '可接受的最大 SIP 消息长度（字节）',
  'SIP.WARMUP_CALLS':
    '启动时在环回地址上的一个临时副本中预演的呼叫数（最多 4 秒），使最初的真实呼叫无需等待未预热的代码；0: 不预演',
  // Authentication
  'AUTH.REALM': '摘要认证域；修改后将重新计算每个用户的 HA1',
  'AUTH.ALGORITHMS': '提供的摘要认证算法，优先的在前（RFC 8760）',
  'AUTH.REGISTER': '对 REGISTER 发起鉴权质询（401）',
  'AUTH.RFC2069':
    '接受不带 qop 的摘要认证应答（RFC 2069 格式，RFC 3261 §22.4），原系统和较老的话机会这样发送；此时该 nonce 只能使用一次',
  'AUTH.NONCE_LIFETIME': 'nonce 的有效期（秒；过期后质询带 stale=true）',
  'AUTH.LOCKOUT_FAILURES': '同一地址的同一用户名鉴权失败多少次后锁定该地址与用户名的组合（0: 从不锁定）',
  'AUTH.LOCKOUT_SOURCE_FAILURES': '同一地址（不论用户名）鉴权失败多少次后锁定该地址（0: 从不锁定）',
  'AUTH.LOCKOUT_WINDOW': '统计鉴权失败次数的时间窗口（秒）',
  'AUTH.LOCKOUT_SECONDS': '被锁定的地址（或地址与用户名组合）被拒绝的时长（秒）',
  // Registration
  'REG.MIN_EXPIRES': '可接受的最短注册有效期（低于此值回 423；最多一小时，RFC 3261 §10.3）',
  'REG.MAX_EXPIRES': '批准的最长注册有效期',
  'REG.DEFAULT_EXPIRES': 'REGISTER 未给出有效期时使用的有效期',
  'REG.MAX_CONTACTS': '每个 AOR 的最大注册绑定数',
  'REG.FLOW_TIMER':
    'SIP Outbound 注册的 200 中的 Flow-Timer (秒)：要求终端多久发一次保活 (RFC 5626 §5.4)；0 表示不发送',
  'REG.NAT_KEEPALIVE':
    '向 NAT 后经 UDP 注册的终端发送保活 (CRLF CRLF) 的间隔 (秒)，使 NAT 为来话保持映射；0 表示不发送',
  // Timers
  'TIMER.T1': 'RFC 3261 T1（毫秒）: RTT 估计值',
  'TIMER.T2': 'RFC 3261 T2（毫秒）: 最长重传间隔',
  'TIMER.T4': 'RFC 3261 T4（毫秒）: 消息在网络中的最长存活时间',
  // Proxy and calls
  'PROXY.AUTH_METHODS': '本域用户发出的、须通过鉴权（407）的会话外请求方法；为空: 都不鉴权',
  'PROXY.RELAY_FOREIGN': '转发目标域名不属于本服务器的请求（即开放中继）',
  'PROXY.ASSERT_IDENTITY':
    '作为面向终端的信任域边界（RFC 3325，如 P-CSCF）: 已鉴权的请求带上 P-Asserted-Identity sip:用户@SIP.DOMAIN（或其 P-Preferred-Identity 指定的该用户身份），其他 P-Asserted-Identity 及所有 P-Preferred-Identity 一律删除（请求和响应均如此）；请求带 "Privacy: id" 时，断言的身份不发往下一跳（NO: 三者均按原样转发）',
  'PROXY.FORKING': '用户有多个 Contact 时: 同时振铃，或按优先级依次振铃',
  'PROXY.TIMER_C': '定时器 C（秒）: INVITE 分支超过此时长仍无最终响应则取消',
  'CALL.MAX_DURATION': '已接听呼叫的最长时长（秒），超过后由本服务器挂断（向双方发送 BYE）；0: 不限',
  // CDR
  'CDR.OPTIONS':
    '本服务器应答的每个 OPTIONS 都写一条 OPTIONS 记录，与原系统一致（心跳保活会产生大量记录: 关闭后 CDR 只记录呼叫、注册和消息）',
  'CDR.REGISTER':
    '每次注册、刷新、注销和过期都写一条 REGISTER 记录，与原系统一致（注册压测会产生数百万条: 关闭后 CDR 只记录呼叫、消息和 OPTIONS）',
  // Log, console, performance
  'LOG.LEVEL': '日志级别',
  'HTTP.ALLOWED_HOSTS':
    '浏览器访问控制台可用的名称（IP 地址、单段名称、本机名称和本地网络域名之外；其他名称被拒绝：防 DNS 重绑定）',
  'HTTP.HOST': '网页控制台绑定的地址',
  'HTTP.PORT': '网页控制台端口（0: 任选一个空闲端口）',
  'PERF.GC_HEADROOM_MB':
    '两次完全垃圾回收之间 JS 堆可积累的垃圾量 (MB): 越大，完全回收（其暂停会延迟所有处理中的消息）越少，但相应占用更多内存；0: 由 V8 决定',
  // Trace
  'TRACE.RING_MESSAGES': '信令跟踪: 内存中保留的消息数，超出时先淘汰最早的（0: 关闭信令跟踪）',
  'TRACE.RING_MB': '信令跟踪: 保留的消息最多占用的内存 (MB)',
  'TRACE.PERSIST': '信令跟踪: 同时把每条消息保存到 <数据目录>/trace.db（SET TRACE STATE=ON）',
  'LOG.KEEP_DAYS':
    'logs/ 保留的天数: 更早的日期文件夹在启动时和午夜后删除并记入日志 (0: 全部保留，与原版相同；CDR/ 从不删除)',
  'TRACE.RETENTION_DAYS': '信令跟踪: trace.db 中消息的保留天数',
  'TRACE.DB_MB': '信令跟踪: trace.db 中消息的最大总大小 (MB)；超出时先删除最早的',
  'TRACE.HEP_COLLECTOR':
    '信令跟踪: HEPv3 采集器（Homer、heplify-server）的 host:port，每条消息都经 UDP 发往该采集器；为空: 不发送',
  'TRACE.HEP_CAPTURE_ID': '信令跟踪: HEP 包中的采集代理 ID',
  'TRACE.HEP_AUTH_KEY': '信令跟踪: HEP 包中的认证密钥 (采集端要求时填写)；为空表示不带',
  // Auto dialer
  'DIALER.USERNAME': '外呼服务注册和发起呼叫所用的账号（执行 STR DIALSVC 时若不存在则自动创建）',
  'DIALER.PASSWORD': '外呼账号的密码（缺省值 0000，与原系统相同：在共享网络中请设置自己的密码）',
  'DIALER.LOCAL_IP': '外呼服务 SIP 和 RTP 套接字的地址（为空: 使用服务器的地址）',
  'DIALER.LOCAL_PORT': '外呼服务的 SIP UDP 端口（0: 任选一个空闲端口）',
  'DIALER.RTP_PORT_MIN': '外呼呼叫的最低 RTP 端口（每个呼叫占用一个偶数端口，其下一个端口用于 RTCP）',
  'DIALER.RTP_PORT_MAX': '外呼呼叫的最高 RTP 端口',
  'DIALER.MEDIA_FILE': '外呼任务未指定媒体文件时播放的 WAV 文件',
  'DIALER.CONCURRENCY': '外呼任务的缺省并发呼叫数（CONCURRENCY）',
  'DIALER.RATE': '外呼任务每秒新发起的缺省呼叫数（RATE）',
  'DIALER.RING_TIMEOUT': '外呼呼叫振铃多少秒后取消',
  'DIALER.REG_LIFETIME': '外呼账号请求的注册有效期（过半时刷新）',
};

/** A setting's description in Chinese (by its key), or the English one when there is none. */
export function zhSettingHelp(key: string, english: string): string {
  return Object.hasOwn(ZH_SETTING_HELP, key) ? ZH_SETTING_HELP[key]! : english;
}

/** Setting types as DSP CFG's Type column names them (the same words as HELP's parameter types). */
export const ZH_SETTING_TYPES: Readonly<Record<SettingType, string>> = {
  string: ZH_PARAM_TYPES.string,
  integer: ZH_PARAM_TYPES.integer,
  boolean: ZH_PARAM_TYPES.boolean,
  enum: ZH_PARAM_TYPES.enum,
  ip: ZH_PARAM_TYPES.ip,
  ip6: 'IPv6 地址',
  list: '列表',
  cidr: 'CIDR 网段',
  host: '主机名',
};

/** Where a setting's value comes from, as DSP CFG's Source column says it. */
export const ZH_SETTING_SOURCES: Readonly<Record<SettingSource, string>> = {
  default: '缺省值',
  file: '配置文件',
  env: '环境变量',
  mml: 'MML 命令',
};
