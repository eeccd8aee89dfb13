// Dialer settings changed with SET CFG while it runs: the RTP port range applies to the next call at
// once; the account and its SIP socket wait for the next STR DIALSVC, and both SET CFG and DSP DIALSVC
// CFG say so (what is in effect, what is pending).
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMessage, SipRequest } from '../../../core/sip/message/index';
import { registerContact, user } from '../proxy/parties';
import { campaignId, until, useDialerLab, type DialerLab } from './lab';

let lab: DialerLab;
let phone: Socket;
let invites: SipRequest[];

useDialerLab((l) => (lab = l));
beforeEach(async () => {
  // A phone that takes the INVITE and says nothing: its SDP offer is what we look at.
  invites = [];
  phone = createSocket('udp4');
  phone.on('message', (b) => {
    const m = parseMessage(b);
    if (m instanceof SipRequest && m.method === 'INVITE') invites.push(m);
  });
  await new Promise<void>((r) => phone.bind(0, '127.0.0.1', r));
  await registerContact(lab.server(), user(1007), phone.address().port);
  expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
});

afterEach(() => {
  phone.close();
});

function cfgRow(r: Awaited<ReturnType<DialerLab['mml']>>): Record<string, unknown> {
  const t = r.tables[0]!;
  return Object.fromEntries(t.columns.map((c, i) => [c.name, t.rows[0]![i]]));
}

describe('dialer settings changed while it runs', () => {
  it('a new RTP port range is used by the next call', async () => {
    const min = lab.a.settings.int('DIALER.RTP_PORT_MIN') + 20;
    expect((await lab.mml(`SET CFG KEY=DIALER.RTP_PORT_MIN VALUE=${min}`)).retcode).toBe(0);
    expect((await lab.mml(`SET CFG KEY=DIALER.RTP_PORT_MAX VALUE=${min + 39}`)).retcode).toBe(0);
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007'));
    await until('the INVITE to reach the phone', () => invites.length > 0);
    const port = Number(/m=audio (\d+)/.exec(Buffer.from(invites[0]!.body).toString())![1]);
    expect(port).toBeGreaterThanOrEqual(min);
    expect(port).toBeLessThanOrEqual(min + 39);
    await lab.mml(`STP CALL CAMPAIGN=${id}`);
  });

  it('a new DIALER.USERNAME is said to wait for the next STR DIALSVC, and shown as pending', async () => {
    const set = await lab.mml('SET CFG KEY=DIALER.USERNAME VALUE=0001');
    expect(set.message).toContain('it takes effect at the next STR DIALSVC');
    const running = cfgRow(await lab.mml('DSP DIALSVC CFG'));
    expect(running).toMatchObject({ Account: '0000', 'Pending (next STR DIALSVC)': 'DIALER.USERNAME=0001' });
    expect(lab.a.dialer.snapshot().account).toBe('0000');
    expect((await lab.mml('STP DIALSVC')).retcode).toBe(0);
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    const after = cfgRow(await lab.mml('DSP DIALSVC CFG'));
    expect(after).toMatchObject({ Account: '0001', 'Pending (next STR DIALSVC)': '' });
  });
});
