// A phone that registers a sips: Contact over UDP (RFC 5630: a SIPS Contact means "reach me over
// TLS") and listens for no TLS: a request for it cannot reach it over TLS. It got "500 Server Internal
// Error (next hop unreachable)", which reads as IMS Lab failing; it now gets a 480 saying the sips:
// contact is unreachable over TLS, as a sips: request for a phone registered over UDP gets its 480.
// In-process appliance, real UDP and TLS on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Appliance } from '../../../core/appliance';
import { loopbackAppliance } from '../headless/loopback-appliance';
import { RegisteringUa, openUdp, responseTo, type SipChannel } from '../../support/sip-client';
import { voicemailNotify } from '../../support/voicemail';

let appliance: Appliance | undefined;
const channels: SipChannel[] = [];
let dataDir: string | undefined;
afterEach(async () => {
  for (const c of channels.splice(0)) await c.close();
  await appliance?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  appliance = dataDir = undefined;
});

describe('a sips: Contact registered over UDP', () => {
  it('a request for it gets 480 naming the sips: contact unreachable over TLS, not 500', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ims-sips-udp-'));
    appliance = loopbackAppliance(dataDir, [], { tls: true });
    await appliance.start();
    const target = { host: '127.0.0.1', port: appliance.transport.udpPort };
    const phone = await openUdp(target);
    const caller = await openUdp(target);
    channels.push(phone, caller);
    const ua = new RegisteringUa(phone, { username: '1003', password: '1003' });
    expect((await ua.register([`<sips:1003@127.0.0.1:${phone.localPort}>`], 300)).status).toBe(200);
    // A voicemail server's unsolicited NOTIFY (a From not ours) needs no credentials.
    caller.send(voicemailNotify(caller, `sip:1003@127.0.0.1:${target.port}`, 'sips-over-udp-1'));
    const res = await responseTo(caller, 1, 8000);
    expect([res.status, res.reasonText]).toEqual([
      480,
      'Temporarily Unavailable (sips: contact unreachable over TLS)',
    ]);
  }, 20_000);
});
