// SIP message tracing on the log at DEBUG: every message in and out, whole, with its peer and its start
// line on the record's first line, as a tap listener. `enabled` is asked per message, so SET LOG LEVEL=DEBUG starts it at once.
import type { Log } from '../../observe/log';
import type { MessageTap, TappedMessage } from './message-tap';
import { peerText } from './peer';

export function logMessages(tap: MessageTap, enabled: () => boolean, log: Log): () => void {
  return tap.on((m: TappedMessage) => {
    if (!enabled()) return;
    const peer = peerText({ transport: m.transport, address: m.remote.address, port: m.remote.port });
    const direction = m.direction === 'in' ? 'received from' : 'sent to';
    const fault = m.error === undefined ? '' : `, not accepted: ${m.error}`;
    // UTF-8, as RFC 3261 §25.1 has it (a display name 张三 reads as such; bytes that are no UTF-8 show as
    // U+FFFD); the logger escapes what could drive a terminal.
    const text = m.data.toString('utf8').replace(/\r\n/g, '\n').trimEnd();
    // The start line on the record's own line, beside its time and direction: the original's users grep
    // the log for it (`grep "INVITE sip:1002"`), which found only the indented line under it, with no
    // time or direction (the original logged `[RX] ip:port -> <start line>`). Headers and body follow.
    const cut = text.indexOf('\n');
    const start = cut < 0 ? text : text.slice(0, cut);
    const rest = cut < 0 ? '' : `\n${text.slice(cut + 1)}`;
    log.debug(
      `${direction} ${peer} (${m.data.length} bytes${fault})${start === '' ? '' : `: ${start}`}${rest}`,
    );
  });
}
