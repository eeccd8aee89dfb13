// Which connection a registration event lets go (core/sip/registrar/connection-release.ts): a TCP or TLS
// binding's source when it expires, is removed, or is refreshed from another connection; nothing for a
// refresh over the same one, a UDP or WebSocket binding (kept by its Ping), or a new binding.
import { describe, expect, it } from 'vitest';
import type { Binding, RegistrationEvent } from '../../../../core/sip/registrar/binding';
import { releaseConnections } from '../../../../core/sip/registrar/connection-release';
import type { Peer } from '../../../../core/sip/transport/peer';

function binding(over: Partial<Binding> = {}): Binding {
  return {
    aor: 'sip:1001@ims.lab',
    contact: 'sip:1001@192.0.2.7:40000;transport=tls',
    contactParams: '',
    expiresAt: 0,
    q: undefined,
    callId: 'c',
    cseq: 1,
    sourceAddress: '192.0.2.7',
    sourcePort: 40000,
    transport: 'TLS',
    userAgent: '',
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

function released(e: Omit<RegistrationEvent, 'at'>): Peer[] {
  const out: Peer[] = [];
  releaseConnections({ connectionReleased: (p) => out.push(p) }, { ...e, at: 0 });
  return out;
}

const TLS_PEER: Peer = { transport: 'TLS', address: '192.0.2.7', port: 40000 };

describe('releaseConnections', () => {
  it('lets go of a TCP or TLS binding’s connection when it expires or is removed', () => {
    expect(released({ type: 'expired', binding: binding() })).toEqual([TLS_PEER]);
    expect(released({ type: 'removed', binding: binding({ transport: 'TCP' }), cause: 'operator' })).toEqual([
      { ...TLS_PEER, transport: 'TCP' },
    ]);
  });

  it('lets go of the old connection of a binding refreshed over another, not of the same one', () => {
    const moved = binding({ sourcePort: 40001 });
    expect(released({ type: 'refreshed', binding: moved, previous: binding() })).toEqual([TLS_PEER]);
    expect(released({ type: 'refreshed', binding: binding(), previous: binding() })).toEqual([]);
  });

  it('does nothing for a new binding, or one over UDP or a WebSocket', () => {
    expect(released({ type: 'bound', binding: binding() })).toEqual([]);
    expect(released({ type: 'expired', binding: binding({ transport: 'UDP' }) })).toEqual([]);
    expect(released({ type: 'removed', binding: binding({ transport: 'WSS' }) })).toEqual([]);
  });
});
