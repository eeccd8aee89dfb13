// The SIP messages on the log at DEBUG read as UTF-8 (RFC 3261 §25.1: a display name 张三), as the
// INFO lines do; read as latin1, 张三 Jürgen became å¼ ä¸ JÃ¼rgen.
import { describe, expect, it } from 'vitest';
import { logMessages } from '../../../../core/sip/transport/log-tap';
import { MessageTap } from '../../../../core/sip/transport/message-tap';

/** A tap whose messages are logged at DEBUG into `lines`. */
function tapped(): { tap: MessageTap; lines: string[] } {
  const tap = new MessageTap();
  const lines: string[] = [];
  const log = {
    debug: (m: string) => lines.push(m),
    info: () => undefined,
    warning: () => undefined,
    error: () => undefined,
  };
  logMessages(tap, () => true, log);
  return { tap, lines };
}

describe('the SIP messages logged at DEBUG', () => {
  it('read as UTF-8', () => {
    const { tap, lines } = tapped();
    const data = Buffer.from(
      'OPTIONS sip:a@b SIP/2.0\r\nFrom: "张三 Jürgen" <sip:1001@b>;tag=1\r\n\r\n',
      'utf8',
    );
    tap.emit('in', data, 'UDP', { address: '127.0.0.1', port: 5060 }, '127.0.0.1', 5062);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('From: "张三 Jürgen" <sip:1001@b>;tag=1');
  });

  // `grep "INVITE sip:1002" <log>` found the start line on an indented line under the record, with no time
  // or direction: it is now on the record's own line, headers and body on the lines under it.
  it('put the start line on the record’s first line, with the direction and peer', () => {
    const { tap, lines } = tapped();
    const invite = Buffer.from('INVITE sip:1002@ims.lab SIP/2.0\r\nCall-ID: a\r\nContent-Length: 0\r\n\r\n');
    tap.emit('in', invite, 'UDP', { address: '127.0.0.1', port: 5060 }, '127.0.0.1', 5062);
    tap.emit(
      'out',
      Buffer.from('SIP/2.0 100 Trying\r\n\r\n'),
      'UDP',
      { address: '127.0.0.1', port: 5060 },
      '127.0.0.1',
      5062,
    );
    tap.emit('in', Buffer.from('\r\n\r\n'), 'UDP', { address: '127.0.0.1', port: 5060 }, '127.0.0.1', 5062);
    expect(lines).toEqual([
      `received from UDP 127.0.0.1:5062 (${invite.length} bytes): INVITE sip:1002@ims.lab SIP/2.0\nCall-ID: a\nContent-Length: 0`,
      'sent to UDP 127.0.0.1:5062 (22 bytes): SIP/2.0 100 Trying',
      'received from UDP 127.0.0.1:5062 (4 bytes)',
    ]);
  });
});
