// A request whose next hop's name does not resolve gets a 500 that says which name (RFC 3263 §4.3: no
// target is a transport error, a 503 made 500 upstream, RFC 3261 §16.7 step 6); it said "routing
// failed", and only the log named the domain. Node's lookup error, as it comes.
import { lookup } from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import { routingFault } from '../../../../core/sip/proxy/routing-fault';

describe('the 500 of a request that could not be routed', () => {
  // A resolver that does not answer takes its own timeouts before EAI_AGAIN.
  it('names a next hop that does not resolve', { timeout: 30_000 }, async () => {
    // RFC 6761 §6.4: .invalid never resolves (NXDOMAIN, or EAI_AGAIN without a resolver).
    const err = await lookup('b-lab.invalid').catch((e: unknown) => e);
    expect(routingFault(err)).toMatch(
      /^Server Internal Error \(b-lab\.invalid does not resolve: (ENOTFOUND|EAI_AGAIN)\)$/,
    );
  });

  it('says routing failed for anything else', () => {
    expect(routingFault(new Error('boom'))).toBe('Server Internal Error (routing failed)');
  });
});
