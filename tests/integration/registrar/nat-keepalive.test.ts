// REG.NAT_KEEPALIVE against the built server: a phone behind a (simulated) NAT, its Contact a private
// address while it sends from loopback, gets CRLF CRLF at the address its REGISTER came from, once a
// second at REG.NAT_KEEPALIVE=1; a phone reached at its own Contact gets none; the keep-alives are counted
// in /metrics and not in the SIP trace (0 sends none: the unit test, nat-keepalive.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, contactOf, openUdp, type SipChannel } from '../../support/sip-client';
import { targetOf, user, users } from '../proxy/parties';

const ADMIN_PASSWORD = 'nat-keepalive-test';
const NATTED = user(4931);
const DIRECT = user(4932);
const CRLF2 = '\r\n\r\n';

/** The next datagram that is a keep-alive (a 200 or anything else before it is skipped). */
async function nextKeepalive(ch: SipChannel): Promise<Buffer> {
  for (;;) {
    const data = await ch.next(5000);
    if (data.toString('latin1') === CRLF2) return data;
  }
}

describe.skipIf(!HAS_BUILD)('NAT keep-alives (REG.NAT_KEEPALIVE)', () => {
  let server: LabServer;
  const channels: SipChannel[] = [];

  beforeAll(async () => {
    server = await startLabServer({
      users: users(4931, 2),
      config: { 'REG.NAT_KEEPALIVE': 1 },
      env: { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
  });

  afterAll(async () => {
    for (const ch of channels) await ch.close();
    if (server !== undefined) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
  });

  it('pings the phone behind the NAT at its source, not the one reached at its Contact', async () => {
    const natted = await openUdp(targetOf(server));
    const direct = await openUdp(targetOf(server));
    channels.push(natted, direct);
    // From 127.0.0.1 with a Contact on another network: behind a NAT (binding-target.ts behindNat).
    const natRes = await new RegisteringUa(natted, NATTED).register([`<sip:4931@192.168.77.20:5060>`], 300);
    expect(natRes.status).toBe(200);
    const directRes = await new RegisteringUa(direct, DIRECT).register([contactOf(direct, '4932')], 300);
    expect(directRes.status).toBe(200);
    direct.collect(0); // what came so far (the 401 and 200 were read)
    expect((await nextKeepalive(natted)).length).toBe(4);
    expect((await nextKeepalive(natted)).length).toBe(4); // a second one, an interval later
    const toDirect = await direct.collect(0);
    expect(toDirect.map((d) => d.toString('latin1'))).not.toContain(CRLF2);

    const metrics = await (await fetch(`${await consoleUrl(server)}/metrics`)).text();
    expect(metrics).toMatch(/kind="keepalive"\} [1-9]/);
    const trace = await runMml(server, ADMIN_PASSWORD, 'DSP TRACE');
    expect(trace.text).not.toMatch(/malformed/i);
  });
});
