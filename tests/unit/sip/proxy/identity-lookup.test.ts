// A target lookup asks whether a user exists, never for its credentials: for a user@realm not seen before
// (sip:2004%40new.realm@server, a new realm each time) the store derived an existing account's HA1 values
// from its password and returned at once for an unknown one, so an unchallenged NOTIFY (or a MESSAGE with
// a foreign From) told by its time which users exist, unlimited and never locked out (README, "Nobody is
// enumerated"). Both now answer the same 480, at the same cost (the bindings are looked up for both).
import { describe, expect, it, vi } from 'vitest';
import { inviteLines } from './call-steps';
import { SERVER, kinds, stack } from './stack';

const STRANGER = { transport: 'UDP' as const, address: '203.0.113.9', port: 5060 };

describe('the target lookup of an unchallenged request', () => {
  it('reads no credentials for user@realm, known or unknown (no timing oracle)', async () => {
    const s = stack({ authMethods: ['INVITE'] });
    const credentials = vi.spyOn(s.users, 'credentials');
    const lookup = vi.spyOn(s.location, 'lookup');
    for (const user of ['1002', '1099']) {
      const lines = inviteLines(`notify-${user}`, 'NOTIFY');
      lines[0] = `NOTIFY sip:${user}%40realm-${user}.example@${SERVER.address} SIP/2.0`;
      lines[3] = 'From: <sip:eve@evil.example>;tag=eve';
      lines[4] = `To: <sip:${user}@${SERVER.address}>`;
      const start = s.sent.length;
      await s.receive([...lines, 'Event: check-sync'], STRANGER);
      expect(kinds(s.sentTo(STRANGER, start)).filter((k) => k !== '100')).toEqual(['480']);
    }
    expect(credentials).not.toHaveBeenCalled();
    // The same work for both: the bindings looked up for the unknown user too (it has none).
    expect(lookup.mock.calls.map((c) => c[0].split('@')[0])).toEqual(['sip:1002', 'sip:1099']);
  });
});
