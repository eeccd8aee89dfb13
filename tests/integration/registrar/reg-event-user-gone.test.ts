// The reg event package (RFC 3680) against the built headless server: a user's watch of its own
// registration ends when the user is deleted (RMV USER) or disabled (MOD USER STATUS=INACTIVE), with a
// NOTIFY terminated;reason=rejected (RFC 6665 §4.2.2), also when the user has no binding at that moment;
// a user added again under the same name is someone else: the old watcher is told nothing of its phones,
// and the old watches do not count against its 16 subscriptions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage, SipRequest, SipResponse } from '../../../core/sip/message/index';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, contactOf, openUdp, type SipChannel } from '../../support/sip-client';
import { answer, nextRequest, sendAuthenticated } from '../proxy/raw-ua';

const ADMIN = 'reg-event-admin';
/** reg-event.ts MAX_PER_AOR: subscriptions one user may hold. */
const PER_USER = 16;

/** Subscribes `user` to its own reg event: the 200's status (the NOTIFY after a 200 is answered). */
async function watch(ch: SipChannel, user: { username: string; password: string }): Promise<number> {
  await sendAuthenticated(ch, user, { method: 'SUBSCRIBE', to: user.username, extra: ['Event: reg'] });
  let status: number | undefined;
  let notified = false;
  while (status === undefined || (status === 200 && !notified)) {
    const m = parseMessage(await ch.next(3000));
    if (m instanceof SipRequest && m.method === 'NOTIFY') {
      ch.send(answer(m, 200, 'OK'));
      notified = true;
    } else if (m instanceof SipResponse && m.cseq.method === 'SUBSCRIBE' && m.status >= 200)
      status = m.status;
  }
  return status;
}

/** The next `n` NOTIFYs' Subscription-State values, each answered 200. */
async function notifications(ch: SipChannel, n: number): Promise<string[]> {
  const states: string[] = [];
  while (states.length < n) {
    const notify = await nextRequest(ch);
    expect(notify.method).toBe('NOTIFY');
    ch.send(answer(notify, 200, 'OK'));
    states.push(notify.header('subscription-state') ?? '');
  }
  return states;
}

describe.skipIf(!HAS_BUILD)(
  'a reg event watch outlives no user (RFC 3680, RFC 6665 §4.2.2), built server',
  () => {
    let server: LabServer;
    const open: SipChannel[] = [];

    async function phone(): Promise<SipChannel> {
      const ch = await openUdp({ host: server.host, port: server.udpPort });
      open.push(ch);
      return ch;
    }

    async function mml(text: string): Promise<void> {
      const r = await runMml(server, ADMIN, text);
      expect(
        r.results.map((x) => x.retcode),
        r.text,
      ).toEqual([0]);
    }

    beforeAll(async () => {
      server = await startLabServer({ env: { IMS_ADMIN_PASSWORD: ADMIN } });
    });

    afterAll(async () => {
      for (const ch of open) await ch.close();
      if (server === undefined) return;
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    });

    it('RMV USER of a user with no binding ends its watches; the name added again is not watched by them', async () => {
      const oldOwner = { username: '7410', password: 'old-owner' };
      await mml(`ADD USER: USERNAME="7410", PASSWORD="old-owner";`);
      const watcher = await phone();
      for (let i = 0; i < PER_USER; i++) expect(await watch(watcher, oldOwner)).toBe(200);

      await mml('RMV USER: USERNAME="7410", CONFIRM=YES;');
      expect(await notifications(watcher, PER_USER)).toEqual(
        Array.from({ length: PER_USER }, () => 'terminated;reason=rejected'),
      );

      // Someone else gets the name: their phone registers and watches its registration (not 503: the old
      // watches are gone), and the old owner's phone hears nothing of it.
      const newOwner = { username: '7410', password: 'new-owner' };
      await mml(`ADD USER: USERNAME="7410", PASSWORD="new-owner";`);
      const theirs = await phone();
      const ua = new RegisteringUa(theirs, newOwner);
      expect((await ua.register([contactOf(theirs, '7410')], 600)).status).toBe(200);
      expect(await watch(theirs, newOwner)).toBe(200);
      expect((await ua.register([contactOf(theirs, '7410')], 0)).status).toBe(200);
      expect(await notifications(theirs, 1)).toEqual([expect.stringMatching(/^active;expires=/)]);
      expect(await watcher.collect(300)).toEqual([]);
    });

    it('MOD USER STATUS=INACTIVE of a user with no binding ends its watch, which stays ended once ACTIVE again', async () => {
      const user = { username: '7411', password: 'pw-7411' };
      await mml(`ADD USER: USERNAME="7411", PASSWORD="pw-7411";`);
      const watcher = await phone();
      expect(await watch(watcher, user)).toBe(200);

      await mml('MOD USER: USERNAME="7411", STATUS=INACTIVE;');
      expect(await notifications(watcher, 1)).toEqual(['terminated;reason=rejected']);

      await mml('MOD USER: USERNAME="7411", STATUS=ACTIVE;');
      const device = await phone();
      expect((await new RegisteringUa(device, user).register([contactOf(device, '7411')], 600)).status).toBe(
        200,
      );
      expect(await watcher.collect(300)).toEqual([]);
    });
  },
);
