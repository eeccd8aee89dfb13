// The dialer's ACK and BYE that bypass the proxy (a callee that left the Record-Route out) are told to
// the call tracker; whatever passes IMS Lab's own SIP port, other methods and unsent messages are not.
import { describe, expect, it, vi } from 'vitest';
import { tellDirectRequests } from '../../../core/dialer/direct-requests';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { request } from '../../support/sip-text';

const DIALER = { address: '127.0.0.1', port: 5062 };
const PROXY = 5060;
const CALLEE = 5070;

function told(): { tap: MessageTap; methods: string[] } {
  const tap = new MessageTap();
  const methods: string[] = [];
  tellDirectRequests(
    tap,
    (r) => methods.push(`${r.method} ${r.from.tag}`),
    (_, port) => port === PROXY,
  );
  return { tap, methods };
}

describe('the dialer’s requests that bypass the proxy', () => {
  it('its ACK and BYE sent to the callee, and the callee’s BYE received, are told; not via the proxy', () => {
    const { tap, methods } = told();
    const ack = request('ACK', { From: '<sip:0000@lab>;tag=dialer' });
    const bye = request('BYE', { From: '<sip:0000@lab>;tag=dialer' });
    const calleeBye = request('BYE', { From: '<sip:1007@lab>;tag=callee' });
    tap.emit('out', ack.source!, 'UDP', DIALER, '127.0.0.1', CALLEE);
    tap.emit('out', bye.source!, 'UDP', DIALER, '127.0.0.1', PROXY);
    tap.emit('out', bye.source!, 'UDP', DIALER, '127.0.0.1', CALLEE);
    tap.emit('in', calleeBye.source!, 'UDP', DIALER, '127.0.0.1', CALLEE, calleeBye);
    expect(methods).toEqual(['ACK dialer', 'BYE dialer', 'BYE callee']);
  });

  it('other methods, and a message that never left, are not', () => {
    const { tap, methods } = told();
    const invite = request('INVITE');
    tap.emit('out', invite.source!, 'UDP', DIALER, '127.0.0.1', CALLEE);
    tap.emit('out', request('BYE').source!, 'UDP', DIALER, '127.0.0.1', CALLEE, undefined, 'not sent');
    expect(methods).toEqual([]);
  });

  it('makes no string of a message that is neither (every message of the dialer’s socket passes here)', () => {
    const { tap, methods } = told();
    const invite = request('INVITE').source!;
    const decode = vi.spyOn(invite, 'toString');
    tap.emit('out', invite, 'UDP', DIALER, '127.0.0.1', CALLEE);
    expect(decode).not.toHaveBeenCalled();
    expect(methods).toEqual([]);
  });
});
