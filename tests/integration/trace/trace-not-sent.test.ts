// A request the proxy could not send (its TCP connection refused) is in the trace with that fault, as
// "not sent", and not in the pcap export, which shows only what crossed the wire; before, it was listed
// as sent, and the pcap held a TCP segment of a connection that never existed.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';
import { NOT_SENT } from '../../../core/sip/transport/sip-transport';
import { label } from '../../../core/trace/trace-message';
import { RegisteringUa, openUdp, responseTo, type SipChannel } from '../../support/sip-client';
import { voicemailNotify } from '../../support/voicemail';

let appliance: Appliance | undefined;
let channel: SipChannel | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  channel?.close();
  await appliance?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  appliance = channel = dataDir = undefined;
});

/** A TCP port nothing listens on (it did a moment ago). */
async function deadPort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('a request whose connection never opened', () => {
  it('is traced as not sent, with its fault, and left out of the pcap', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ims-not-sent-'));
    const s = new Settings();
    for (const [k, v] of [
      ['SIP.HOST', '127.0.0.1'],
      ['SIP.PORT', 0],
      ['SIP.TLS_PORT', 0],
      ['SIP.WS_PORT', 0],
      ['SIP.WSS_PORT', 0],
      ['SIP.WARMUP_CALLS', 0],
    ] as const)
      s.set(k, v);
    appliance = new Appliance({ dataDir, settings: s, console: false });
    await appliance.start();
    const port = appliance.transport.udpPort;
    channel = await openUdp({ host: '127.0.0.1', port });
    const dead = await deadPort();
    const phone = new RegisteringUa(channel, { username: '1003', password: '1003' });
    expect((await phone.register([`<sip:1003@127.0.0.1:${dead};transport=tcp>`], 300)).status).toBe(200);
    // A voicemail server's unsolicited NOTIFY (a From not ours) needs no credentials: the proxy sends it
    // on over TCP, to the dead port.
    channel.send(voicemailNotify(channel, `sip:1003@127.0.0.1:${port}`, 'not-sent-1'));
    expect((await responseTo(channel, 1)).status).toBeGreaterThanOrEqual(500);
    const out = appliance.trace
      .messages('not-sent-1')
      .filter((m) => m.direction === 'out' && m.transport === 'TCP');
    expect(out.map((m) => [m.error, label(m)])).toEqual([[NOT_SENT, 'NOTIFY (not sent)']]);
    expect(appliance.trace.ladder('not-sent-1')).toContain(`! ${NOT_SENT}`);
    // The pcap: the NOTIFY in and the answer out over UDP, nothing over TCP (the IPv4 header's protocol, 6
    // for TCP, 17 for UDP: after the file header (24 bytes), each record's (16) and Ethernet's (14), byte 9).
    const pcap = appliance.trace.export('not-sent-1', 'PCAP');
    const protocols: number[] = [];
    for (let at = 24; at < pcap.length; at += 16 + pcap.readUInt32LE(at + 8))
      protocols.push(pcap[at + 16 + 14 + 9]!);
    expect(protocols.length).toBe(appliance.trace.messages('not-sent-1').length - 1);
    expect(protocols.every((p) => p === 17)).toBe(true);
    // EXP TRACE counts the packets written and says what it left out (it said all the messages).
    const [exp] = await appliance.mml.execute('EXP TRACE CALLID=not-sent-1', 'test');
    expect(exp!.message).toMatch(
      new RegExp(
        `^${protocols.length} messages of Call-ID not-sent-1 written to .*; 1 never sent \\(no packet\\) left out$`,
      ),
    );
  });
});
