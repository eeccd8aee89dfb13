// A callee whose 200 leaves the Record-Route out (SIPp's built-in `-sn uas` does: RFC 3261 §12.1.1 says
// to copy it) gets the dialer's ACK and BYE at its Contact, from the dialer's own socket, not through
// IMS Lab's SIP port. Those are in the SIP trace and its pcap export all the same (README: every message
// IMS Lab sends or receives, the dialer's own included), and what passed the proxy is there once.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMessage, SipRequest, newTag } from '../../../core/sip/message/index';
import { answer } from '../proxy/raw-ua';
import { registerContact, user } from '../proxy/parties';
import { sipBytes } from '../../support/sip-text';
import { campaignId, until, useDialerLab, type DialerLab } from './lab';

let lab: DialerLab;
let uas: Socket;
/** What reached the callee's socket straight from the dialer (the proxy's port is another). */
let direct: string[];

const SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 9 RTP/AVP 0',
  '',
];

useDialerLab((l) => (lab = l), { started: true });
beforeEach(async () => {
  direct = [];
  uas = createSocket('udp4');
  await new Promise<void>((r) => uas.bind(0, '127.0.0.1', r));
  const port = uas.address().port;
  const tag = newTag();
  uas.on('message', (data, from) => {
    const req = parseMessage(data);
    if (!(req instanceof SipRequest)) return;
    if (from.port !== lab.a.transport.udpPort) direct.push(req.method);
    const via = req.topVia;
    const reply = (bytes: Buffer): void => void uas.send(bytes, via.port ?? 5060, via.host);
    if (req.method === 'BYE') reply(answer(req, 200, 'OK'));
    if (req.method !== 'INVITE') return;
    // The 200 with a Contact and an SDP answer, and no Record-Route.
    const lines = answer(req, 200, 'OK').toString('latin1').split('\r\n').slice(0, -3);
    lines[lines.findIndex((l) => l.startsWith('To:'))] = `To: ${req.header('to')};tag=${tag}`;
    const body = SDP.join('\r\n');
    reply(
      sipBytes([...lines, `Contact: <sip:1007@127.0.0.1:${port}>`, 'Content-Type: application/sdp'], body),
    );
  });
  await registerContact(lab.server(), user(1007), port);
});

afterEach(() => {
  uas.close();
});

describe('the dialer calling a callee that leaves the Record-Route out', () => {
  it('its ACK and BYE straight to the callee, and the callee’s 200 to the BYE, are in the trace and its pcap', async () => {
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=1'));
    await until(
      'the call to end and its BYE to reach the callee',
      () => lab.a.dialer.campaign(id)?.state === 'finished' && direct.includes('BYE'),
      8000,
    );
    expect(direct).toEqual(['ACK', 'BYE']);
    const callId = lab.a.trace.dialogs({ method: 'INVITE' }).dialogs[0]!.callId;
    const held = () =>
      lab.a.trace.messages(callId).map((m) => {
        const line = m.data.toString('latin1').split('\r\n')[0]!;
        return { line, direction: m.direction, local: m.local.port, remote: m.remote.port };
      });
    // The dialer's socket: where the proxy got the INVITE from.
    const dialerPort = held().find((r) => r.line.startsWith('INVITE') && r.direction === 'in')!.remote;
    expect(lab.a.dialer.sendsFrom({ transport: 'UDP', address: '127.0.0.1', port: dialerPort })).toBe(true);
    const port = uas.address().port;
    const okRead = (): boolean => held().some((r) => r.direction === 'in' && r.local === dialerPort);
    await until('the callee’s 200 to the BYE read', okRead, 2000).catch(() => undefined); // asserted below
    const rows = held();
    // Sent by the dialer's socket straight to the callee, and the callee's answer received there.
    expect(rows.filter((r) => r.local === dialerPort).map((r) => `${r.direction} ${r.line}`)).toEqual([
      `out ACK sip:1007@127.0.0.1:${port} SIP/2.0`,
      `out BYE sip:1007@127.0.0.1:${port} SIP/2.0`,
      'in SIP/2.0 200 OK',
    ]);
    expect(rows.filter((r) => r.local === dialerPort).every((r) => r.remote === port)).toBe(true);
    // What went between the dialer and the proxy is there once, as the proxy's (the INVITE with
    // credentials: received once, not also as sent by the dialer).
    const invites = rows.filter((r) => r.line.startsWith('INVITE') && r.direction === 'in');
    expect(invites).toHaveLength(2); // the first one challenged 407, the second with credentials
    expect(rows.every((r) => r.local !== dialerPort || r.remote !== lab.a.transport.udpPort)).toBe(true);
    // The pcap export: each as a UDP datagram from the dialer's port to the callee's.
    const pcap = lab.a.trace.export(callId, 'PCAP');
    for (const [first, src, dst] of [
      [`ACK sip:1007@127.0.0.1:${port}`, dialerPort, port],
      [`BYE sip:1007@127.0.0.1:${port}`, dialerPort, port],
    ] as const) {
      const at = pcap.indexOf(first);
      expect(at, first).toBeGreaterThan(0);
      expect([pcap.readUInt16BE(at - 8), pcap.readUInt16BE(at - 6)]).toEqual([src, dst]);
    }
  }, 15_000);

  it('the proxy’s call ends with the dialer’s BYE: its CDR row says the caller hung up after about a second, not 32 s with no ACK', async () => {
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=1'));
    await until('the BYE to reach the callee', () => direct.includes('BYE'), 8000);
    // The proxy never saw the ACK nor the BYE; without being told, it waited 64*T1 (32 s) for the ACK.
    await until('the proxy to end the call', () => lab.a.calls.size === 0, 2000).catch(() => undefined);
    expect(lab.a.calls.size).toBe(0);
    lab.a.cdrRecorder.flush();
    const row = (await lab.a.cdr.page({})).records.find((r) => r.record_type === 'CALL')!;
    expect(row).toMatchObject({ extra_info: expect.stringContaining(`campaign=${id}`), hangup_by: 'caller' });
    expect(row.end_reason).not.toMatch(/ACK/);
    expect(Number(row.talk_ms)).toBeGreaterThan(500);
    expect(Number(row.talk_ms)).toBeLessThan(5000);
  }, 15_000);
});
