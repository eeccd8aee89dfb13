// A call taken over by an INVITE with Replaces and no REFER (RFC 3891 §3), with a real phone as the one
// whose call is taken: a raw UDP caller calls linphonec (auto-answer), then a second raw phone sends
// linphonec an INVITE with Replaces naming that dialog; linphonec accepts it and BYEs the old dialog, as
// RFC 3891 asks. Both CDR rows say so in extra_info: the old one "Replaced by call ...", the new one
// "Replaces call ...".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipRequest, SipResponse, newBranch, parseMessage } from '../../../core/sip/message/index';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { openUdp, type SipChannel } from '../../support/sip-client';
import { sipBytes } from '../../support/sip-text';
import { writeToneWav } from './baresip-ua';
import { cdrRows } from './cdr-reader';
import { HAS_LINPHONEC, LinphoneUa } from './linphone-ua';
import { answer, sendAuthenticated, type Sent } from './raw-ua';
import { targetOf, user, users } from './parties';

const CALLER = user(4901);
const CALLEE = user(4902); // linphonec
const PICKUP = user(4903);

const sdp = (ch: SipChannel): string =>
  [
    'v=0',
    `o=- 1 1 IN IP4 ${ch.localHost}`,
    's=-',
    `c=IN IP4 ${ch.localHost}`,
    't=0 0',
    `m=audio ${ch.localPort + 2} RTP/AVP 0`,
    'a=rtpmap:0 PCMU/8000',
    '',
  ].join('\r\n');

/** The final answer to the INVITE `sent` (1xx skipped), within 10 s. */
async function finalAnswer(ch: SipChannel): Promise<SipResponse> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const m = parseMessage(await ch.next(Math.max(1, deadline - Date.now())));
    if (m instanceof SipResponse && m.cseq.method === 'INVITE' && m.status >= 200) return m;
  }
}

/** A request in the dialog the 200 `ok` set up (Request-URI its Contact, Route its Record-Route reversed). */
function inDialog(
  ch: SipChannel,
  from: string,
  sent: Sent,
  ok: SipResponse,
  method: string,
  cseq: number,
): Buffer {
  const at = `${ch.target.host}:${ch.target.port}`;
  return sipBytes([
    `${method} ${ok.contacts[0]!.uriText} SIP/2.0`,
    `Via: SIP/2.0/UDP ${ch.localHost}:${ch.localPort};branch=${newBranch()};rport`,
    ...[...ok.recordRoutes].reverse().map((r) => `Route: ${r.raw}`),
    'Max-Forwards: 70',
    `From: <sip:${from}@${at}>;tag=${sent.fromTag}`,
    `To: ${ok.header('to')}`,
    `Call-ID: ${sent.callId}`,
    `CSeq: ${cseq} ${method}`,
  ]);
}

describe.skipIf(!HAS_BUILD || !HAS_LINPHONEC)('a call taken over with INVITE/Replaces (RFC 3891)', () => {
  let server: LabServer;
  let dir: string;
  let phone: LinphoneUa | undefined;
  const channels: SipChannel[] = [];

  beforeAll(async () => {
    server = await startLabServer({ users: users(4901, 3) });
    dir = mkdtempSync(join(tmpdir(), 'ims-replaces-'));
    writeToneWav(join(dir, 'tone.wav'), 30);
  });

  afterAll(async () => {
    for (const ch of channels) await ch.close();
    await phone?.stop();
    if (server !== undefined) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('linphonec accepts the takeover and BYEs the old call; both CDR rows are marked', async () => {
    phone = await LinphoneUa.start({
      dir: join(dir, 'callee'),
      ...{ user: CALLEE.username, password: CALLEE.password },
      realm: 'ims.lab',
      domain: '127.0.0.1',
      server: targetOf(server),
      autoAnswer: true,
      wav: join(dir, 'tone.wav'),
    });
    await phone.registered();
    const caller = await openUdp(targetOf(server));
    const pickup = await openUdp(targetOf(server));
    channels.push(caller, pickup);

    const first = await sendAuthenticated(caller, CALLER, {
      method: 'INVITE',
      to: CALLEE.username,
      body: sdp(caller),
    });
    const ok1 = await finalAnswer(caller);
    expect(ok1.status, `${ok1.toString()}\n${phone.describe()}`).toBe(200);
    caller.send(inDialog(caller, CALLER.username, first, ok1, 'ACK', 2));

    const replaces = `${first.callId};to-tag=${ok1.to.tag!};from-tag=${first.fromTag}`;
    const second = await sendAuthenticated(pickup, PICKUP, {
      method: 'INVITE',
      to: CALLEE.username,
      body: sdp(pickup),
      extra: [`Replaces: ${replaces}`],
    });
    const ok2 = await finalAnswer(pickup);
    expect(ok2.status, `${ok2.toString()}\n${phone.describe()}`).toBe(200);
    pickup.send(inDialog(pickup, PICKUP.username, second, ok2, 'ACK', 2));

    // linphonec ends the replaced dialog: its BYE reaches the first caller.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const m = parseMessage(await caller.next(Math.max(1, deadline - Date.now())));
      if (!(m instanceof SipRequest)) continue;
      caller.send(answer(m, 200, 'OK'));
      if (m.method === 'BYE') break;
    }
    pickup.send(inDialog(pickup, PICKUP.username, second, ok2, 'BYE', 3));

    const deadlineRows = Date.now() + 5000;
    let rows = cdrRows(server.dataDir).filter((r) => r.record_type === 'CALL' && r.call_state === 'ENDED');
    while (rows.length < 2 && Date.now() < deadlineRows) {
      await new Promise((r) => setTimeout(r, 100));
      rows = cdrRows(server.dataDir).filter((r) => r.record_type === 'CALL' && r.call_state === 'ENDED');
    }
    const info = Object.fromEntries(rows.map((r) => [r.sip_call_id, [r.hangup_by, r.extra_info]]));
    expect(info, phone.describe()).toEqual({
      [first.callId]: ['callee', `Replaced by call ${second.callId} (INVITE with Replaces, RFC 3891)`],
      [second.callId]: ['caller', `Replaces call ${first.callId}`],
    });
  });
});
