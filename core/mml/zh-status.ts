// Cells of read-only status answers in Chinese, for the answers in 中文 only (English answers stay
// byte-identical: scripts parse them): how long something has run (commands/system.ts duration: "6m 7s"),
// as the original's DSP DIALSVC said it (X小时Y分钟Z秒, original-server.md §DSP DIALSVC); a traced
// message's direction (IN/OUT), in the console's words (接收/发送); and the header lines of a
// DSP TRACE CALLID= ladder (core/trace/ladder.ts).

const UNITS: Readonly<Record<string, string>> = { d: '天', h: '小时', m: '分钟', s: '秒' };

/** "1d 2h 3m 4s" → "1天2小时3分钟4秒", "13s" → "13秒"; anything else as it is. */
export function zhDuration(text: string): string {
  if (!/^(\d+d )?(\d+h )?(\d+m )?\d+s$/.test(text)) return text;
  return text.replace(/(\d+)([dhms]) ?/g, (_m, n: string, u: string) => `${n}${UNITS[u]}`);
}

const DIRECTIONS: Readonly<Record<string, string>> = { IN: '接收', OUT: '发送' };

/** A traced message's direction (DSP TRACE CALLID='s Messages) in Chinese. */
export function zhDirection(text: string): string {
  return Object.hasOwn(DIRECTIONS, text) ? DIRECTIONS[text]! : text;
}

const LADDER_TITLE =
  /^Call-ID (.*): (\d+) messages from (.+?)(?: \(the first (\d+) of (\d+) left the trace ring\))?$/;
const LADDER_EMPTY = /^Call-ID (.*): no messages held$/;
const LADDER_COLUMNS = '   time (s)   delta (s)';
/** As wide as LADDER_COLUMNS in terminal cells (a Chinese character takes two), so the arrows stay put. */
const ZH_LADDER_COLUMNS = '   时间 (秒)  间隔 (秒)';

/** A line of a ladder (trace/ladder.ts renderLadder) in Chinese: its title and its columns' names. */
export function zhLadderLine(line: string): string {
  if (line.startsWith(LADDER_COLUMNS)) return ZH_LADDER_COLUMNS + line.slice(LADDER_COLUMNS.length);
  const title = LADDER_TITLE.exec(line);
  if (title !== null) {
    const [, callId, n, time, gone, captured] = title;
    const left = gone === undefined ? '' : `（最早的 ${gone} 条已移出跟踪环形缓冲区，共捕获 ${captured} 条）`;
    return `Call-ID ${callId}：共 ${n} 条消息，开始于 ${time}${left}`;
  }
  const empty = LADDER_EMPTY.exec(line);
  return empty === null ? line : `Call-ID ${empty[1]}：未保留任何消息`;
}
