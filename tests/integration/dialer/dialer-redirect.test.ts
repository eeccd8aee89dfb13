// A dialer call redirected by the callee (302): the new INVITE, to the Contact of the 3xx, carries
// credentials for its own Request-URI (RFC 3261 §8.1.3.4, §22.4; RFC 7616 §3.4: digest-uri = the
// Request-URI, a nonce-count above the last), and reaches the new target through the proxy's auth.
import { beforeEach, describe, expect, it } from 'vitest';
import { SipRequest } from '../../../core/sip/message/index';
import { HAS_SIPP } from '../../support/sipp';
import { startCallee, user } from '../proxy/parties';
import { campaignId, until, useDialerLab, type DialerLab } from './lab';

let lab: DialerLab;
/** The dialer's INVITEs as the proxy received them: Request-URI and credentials. */
let invites: { uri: string; auth: string | undefined }[];

useDialerLab((l) => (lab = l));
beforeEach(async () => {
  invites = [];
  lab.a.transport.tap.on((m) => {
    const r = m.message;
    if (m.direction === 'in' && r instanceof SipRequest && r.method === 'INVITE')
      invites.push({ uri: r.receivedUri, auth: r.header('proxy-authorization') });
  });
  expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
});

const param = (auth: string | undefined, name: string): string | undefined =>
  auth === undefined ? undefined : new RegExp(`${name}="?([^",]+)`).exec(auth)?.[1];

describe.skipIf(!HAS_SIPP)('a redirected dialer call', () => {
  it('follows a 302 with credentials signed for the new Request-URI and is answered there', async () => {
    const { udpPort } = lab.a.transport;
    const moved = `sip:1002@127.0.0.1:${udpPort}`;
    const answerer = await startCallee(lab.server(), user(1002), 'proxy_uas_answer.xml', {
      timeoutSeconds: 20,
    });
    const redirector = await startCallee(lab.server(), user(1003), 'proxy_uas_redirect.xml', {
      timeoutSeconds: 20,
      keys: { redirect: moved },
    });
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1003 DURATION=1'));
    await until('the campaign to finish', () => lab.a.dialer.campaign(id)?.state === 'finished', 15_000);
    const c = lab.a.dialer.campaign(id)!;
    expect(c.recent[0], JSON.stringify(invites)).toMatchObject({ status: 200, answered: true });
    expect(c.figures).toMatchObject({ answered: 1, failed: 0 });
    const redirected = invites.filter((i) => i.uri === moved);
    expect(redirected.length).toBeGreaterThan(0);
    const first = invites.find((i) => i.auth !== undefined && i.uri !== moved)!;
    const last = redirected.at(-1)!;
    expect(param(last.auth, 'uri')).toBe(moved);
    expect(param(last.auth, 'nc')).not.toBe(param(first.auth, 'nc'));
    expect((await redirector.result).code).toBe(0);
    expect((await answerer.result).code).toBe(0);
  }, 30_000);
});
