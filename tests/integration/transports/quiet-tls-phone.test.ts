// A quiet TLS phone (no CRLF keep-alives, as baresip without outbound or many desk phones) registered
// from an ephemeral port with its Contact there (behind a NAT, or with ;alias, RFC 5923): it can be
// reached over its registration connection only. IMS Lab closed that connection at SIP.TLS_IDLE_TIMEOUT
// while the binding lasted (900 s against the 3600 s it grants), and every request for the phone then
// failed (500 next hop unreachable). A connection a live binding depends on is now kept past the idle
// time (RFC 3261 §18, as Kamailio's tcp_persistent_flag does) and closed once the binding ends; one
// nothing depends on is still closed when idle. In-process appliance, real TLS and UDP on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Appliance } from '../../../core/appliance';
import { loopbackAppliance } from '../headless/loopback-appliance';
import { buildResponse, parseMessage, SipRequest } from '../../../core/sip/message/index';
import { openTls, type SecureChannel } from '../../support/secure-channels';
import { RegisteringUa, openUdp, responseTo, type SipChannel } from '../../support/sip-client';
import { voicemailNotify } from '../../support/voicemail';

let appliance: Appliance | undefined;
const channels: (SipChannel | SecureChannel)[] = [];
let dataDir: string | undefined;
afterEach(async () => {
  for (const c of channels.splice(0)) await c.close();
  await appliance?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  appliance = dataDir = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A TCP port nothing listens on (it did a moment ago): the phone's Contact, reachable no other way. */
async function deadPort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** True when `closed` resolves within 3 s. */
async function closesSoon(closed: Promise<void>): Promise<boolean> {
  return Promise.race([closed.then(() => true), sleep(3000).then(() => false)]);
}

describe('a quiet TLS phone past SIP.TLS_IDLE_TIMEOUT', () => {
  it('is reached over its registration connection, which closes once the binding ends', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ims-quiet-tls-'));
    appliance = loopbackAppliance(dataDir, [['SIP.TLS_IDLE_TIMEOUT', 1]], { tls: true });
    await appliance.start();
    const tls = { host: '127.0.0.1', port: appliance.transport.tlsPort };
    expect(tls.port).toBeGreaterThan(0);
    const phone = await openTls(tls);
    const bystander = await openTls(tls); // nothing registered over it
    channels.push(phone, bystander);
    const ua = new RegisteringUa(phone, { username: '1003', password: '1003' });
    const contact = `<sip:1003@127.0.0.1:${await deadPort()};transport=tls>`;
    expect((await ua.register([contact], 300)).status).toBe(200);
    // The bystander is closed at its idle time; the phone, registered as long, stays.
    expect(await closesSoon(bystander.closed)).toBe(true);
    await sleep(1200); // past the phone's idle time too
    const caller = await openUdp({ host: '127.0.0.1', port: appliance.transport.udpPort });
    channels.push(caller);
    caller.send(voicemailNotify(caller, `sip:1003@127.0.0.1:${appliance.transport.udpPort}`, 'quiet-tls-1'));
    const got = parseMessage(await phone.next(3000));
    expect(got).toBeInstanceOf(SipRequest);
    expect((got as SipRequest).method).toBe('NOTIFY');
    phone.send(buildResponse(got as SipRequest, 200));
    expect((await responseTo(caller, 1)).status).toBe(200);
    // Quiet again past its idle time, then the binding removed: the connection goes with it.
    await sleep(1200);
    const [rmv] = await appliance.mml.execute('RMV REG USERNAME=1003 CONFIRM=YES', 'test');
    expect(rmv!.retcode).toBe(0);
    expect(await closesSoon(phone.closed)).toBe(true);
  }, 20_000);
});
