// Real clients on a bench where another PBX holds 5060: the server on another port (a free one), and
// phones configured as their settings pages ask, domain = the server's bare IP (no port) with the
// server as outbound proxy. baresip and linphonec register, call each other and send a MESSAGE (the
// Request-URI sip:<user>@127.0.0.1 names our address, at port 5060 by default: still our domain).
// SIPp's built-in scenarios, the first thing a lab engineer tries: `sipp -sn uas` (registered) and
// `sipp -sn uac -s <user>` complete their calls through the proxy with 0 failed, although the uac sends
// its ACK and BYE to sip:<user>@<proxy> with no Route, and a stale second binding of the callee (a
// phone gone without unregistering) is there. linphonec killed and started again on another port keeps
// one binding: its instance ID names the same device (RFC 5626 §6).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP, freePort, runSipp, startSipp } from '../../support/sipp';
import { cdrRows } from './cdr-reader';
import { BaresipUa, HAS_BARESIP, writeToneWav } from './baresip-ua';
import { HAS_LINPHONEC, LinphoneUa } from './linphone-ua';
import { registerContact, targetOf, user, users } from './parties';

/** Waits until `check` passes, up to `timeoutMs`. */
async function eventually<T>(
  what: string,
  read: () => T,
  check: (v: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (check(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`${what} not seen within ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const DOMAIN = '127.0.0.1';
const ADMIN_PASSWORD = 'real-clients-test';
const ANN_UUID = '5c1e2d3f-4a5b-4c6d-8e7f-0123456789ab';

describe.skipIf(!HAS_BUILD || !HAS_BARESIP || !HAS_LINPHONEC)(
  'phones with domain = the bare IP, server not on 5060',
  () => {
    let server: LabServer;
    let dir: string;
    let baresip: BaresipUa | undefined;
    let linphone: LinphoneUa | undefined;
    const BOB = user(4702); // baresip
    const ANN = user(4701); // linphonec

    /** linphonec as 4701, auto-answering, always the same device (instance ID). */
    const startAnn = (again = false): Promise<LinphoneUa> =>
      LinphoneUa.start({
        dir: join(dir, again ? 'ann-again' : 'ann'),
        ...{ user: ANN.username, password: ANN.password },
        realm: 'ims.lab',
        domain: DOMAIN,
        server: targetOf(server),
        autoAnswer: true,
        wav: join(dir, 'tone.wav'),
        uuid: ANN_UUID,
      });

    beforeAll(async () => {
      server = await startLabServer({
        users: users(4701, 2),
        env: { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD },
      });
      expect(server.udpPort).not.toBe(5060);
      dir = mkdtempSync(join(tmpdir(), 'ims-phones-'));
      writeToneWav(join(dir, 'tone.wav'), 30);
    });

    afterAll(async () => {
      await baresip?.stop();
      await linphone?.stop();
      if (server !== undefined) {
        expect(await server.stop()).toBe(0);
        removeDataDir(server.dataDir);
      }
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it('both register, call each other (answered, hung up) and send a MESSAGE', async () => {
      const target = targetOf(server);
      baresip = await BaresipUa.start({
        dir: join(dir, 'bob'),
        ...{ user: BOB.username, password: BOB.password },
        server: target,
        domain: DOMAIN,
        accountParams: ';answermode=auto',
        wav: join(dir, 'tone.wav'),
        contacts: [`"Ann" <sip:${ANN.username}@${DOMAIN}>`],
      });
      linphone = await startAnn();
      const both = (): string =>
        `=== baresip\n${baresip!.describe()}\n=== linphonec\n${linphone!.describe()}`;
      await linphone.registered(15_000);
      await eventually(
        'two REGISTER rows',
        () =>
          cdrRows(server.dataDir).filter((r) => r.record_type === 'REGISTER' && r.call_state === 'SUCCESS'),
        (rows) => new Set(rows.map((r) => r.caller_number)).size >= 2,
        10_000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${both()}`);
      });

      // baresip calls linphonec at sip:4701@127.0.0.1 (no port); linphonec answers by itself.
      expect((await baresip.command('dial', `sip:${ANN.username}@${DOMAIN}`)).ok, both()).toBe(true);
      await baresip.event('CALL_ESTABLISHED', 10_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${both()}`);
      });
      await new Promise((r) => setTimeout(r, 500));
      expect((await baresip.command('hangup')).ok, both()).toBe(true);
      await baresip.event('CALL_CLOSED', 5000);
      await linphone.waitFor(/Call \d+ with \S+ ended/, 5000);

      // linphonec calls baresip; baresip answers by itself; linphonec hangs up.
      const mark = linphone.mark;
      linphone.command(`call sip:${BOB.username}@${DOMAIN}`);
      await linphone.waitFor(/connected/i, 10_000, mark);
      await baresip.event('CALL_ESTABLISHED', 5000);
      linphone.command('terminate');
      await baresip.event('CALL_CLOSED', 5000);

      const calls = await eventually(
        'two CALL rows',
        () => cdrRows(server.dataDir).filter((r) => r.record_type === 'CALL'),
        (rows) => rows.length >= 2,
      );
      expect(
        calls.map((r) => `${r.caller_number}->${r.callee_number} ${r.call_state} ${r.status_code}`).sort(),
        both(),
      ).toEqual([`${ANN.username}->${BOB.username} ENDED 200`, `${BOB.username}->${ANN.username} ENDED 200`]);
      // linphonec registers with Supported: gruu and an instance ID, and then uses its public GRUU (RFC
      // 5627) as its Contact: both calls, its BYE and baresip's, went to it through the proxy (§7).
      const gruu = new RegExp(`^sip:${ANN.username}@ims\\.lab;gr=urn:uuid:[0-9a-f-]+$`);
      expect(calls.find((r) => r.caller_number === ANN.username)?.caller_contact, both()).toMatch(gruu);
      expect(calls.find((r) => r.callee_number === ANN.username)?.callee_contact, both()).toMatch(gruu);
      // The ACK of baresip's call is sent to that GRUU too, and reaches linphonec (RFC 5627 §7; it
      // used to be looked up in DNS as a host name and lost, and linphonec answered 200 again and again).
      const toAnn = calls.find((r) => r.callee_number === ANN.username)!;
      const exported = await runMml(
        server,
        ADMIN_PASSWORD,
        `EXP TRACE CALLID=${JSON.stringify(String(toAnn.sip_call_id))} FORMAT=TEXT`,
      );
      const text = readFileSync(String(exported.results[0]!.tables[0]!.rows[0]![0]), 'utf8');
      expect(text, both()).toMatch(
        new RegExp(`sent UDP \\S+ -> 127\\.0\\.0\\.1:${linphone.sipPort} [^\\n]*\\n\\nACK `),
      );

      // MESSAGE both ways, to sip:<user>@127.0.0.1.
      linphone.command(`chat sip:${BOB.username}@${DOMAIN} hello-from-linphonec`);
      expect((await baresip.command('message', 'hello-from-baresip')).ok, both()).toBe(true);
      const messages = await eventually(
        'two MESSAGE rows',
        // linphonec also asks for delivery notices (RFC 5438 IMDN, message/imdn+xml): not ours to judge.
        () =>
          cdrRows(server.dataDir).filter(
            (r) => r.record_type === 'MESSAGE' && !String(r.content_type).includes('imdn'),
          ),
        (rows) => rows.length >= 2,
        8000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${both()}`);
      });
      expect(
        messages
          .map((r) => `${r.caller_number}->${r.callee_number} ${r.call_state} ${r.message_body}`)
          .sort(),
      ).toEqual([
        `${ANN.username}->${BOB.username} COMPLETED hello-from-linphonec`,
        `${BOB.username}->${ANN.username} COMPLETED hello-from-baresip`,
      ]);
    });

    it('linphonec killed and started on another port, the same device: one binding, the call reaches it', async () => {
      // RFC 5626 §6: its new REGISTER has a new Contact URI under the same +sip.instance, and replaces
      // the binding its lost self left (it never un-registered), so nothing forks to the dead port.
      const before = linphone!.sipPort;
      await linphone!.kill();
      linphone = await startAnn(true);
      expect(linphone.sipPort).not.toBe(before);
      await linphone.registered(15_000);
      const table = (await runMml(server, ADMIN_PASSWORD, `DSP REG USERNAME=${ANN.username}`)).results[0]!
        .tables[0]!;
      const contact = table.columns.findIndex((c) => c.name === 'Contact');
      expect(
        table.rows.map((r) => r[contact]),
        linphone.describe(),
      ).toEqual([`sip:${ANN.username}@${DOMAIN}:${linphone.sipPort};transport=udp`]);
      expect((await baresip!.command('dial', `sip:${ANN.username}@${DOMAIN}`)).ok).toBe(true);
      await baresip!.event('CALL_ESTABLISHED', 10_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${linphone!.describe()}`);
      });
      expect((await baresip!.command('hangup')).ok).toBe(true);
      await baresip!.event('CALL_CLOSED', 5000);
    });
  },
);

describe.skipIf(!HAS_BUILD || !HAS_SIPP)("SIPp's built-in uac and uas through the proxy", () => {
  let server: LabServer;
  const CALLEE = user(4801);

  beforeAll(async () => {
    // SIPp's built-in uac cannot answer a challenge: the lab lets unauthenticated INVITEs through.
    server = await startLabServer({ users: [CALLEE], config: { 'PROXY.AUTH_METHODS': '' } });
    expect(server.udpPort).not.toBe(5060);
  });

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('-sn uas (registered, plus a stale binding) answers every call of -sn uac: 0 failed', async () => {
    const uasPort = await freePort();
    await registerContact(server, CALLEE, await freePort()); // a phone gone without unregistering
    await registerContact(server, CALLEE, uasPort);
    const uas = await startSipp({
      builtIn: 'uas',
      scenario: '',
      target: targetOf(server),
      localPort: uasPort,
      calls: 5,
      timeoutSeconds: 30,
    });
    const uac = await runSipp({
      builtIn: 'uac',
      scenario: '',
      target: targetOf(server),
      calls: 5,
      timeoutSeconds: 30,
      args: ['-s', CALLEE.username, '-r', '5'],
    });
    const answered = await uas.result;
    const both = `=== uac\n${uac.describe()}\n=== uas\n${answered.describe()}`;
    expect(uac.failed, both).toBe(0);
    expect(uac.successful, both).toBe(5);
    expect(uac.code, both).toBe(0);
    expect(answered.successful, both).toBe(5);
    // The uac sent its ACK and BYE to sip:<user>@<proxy> with no Route, as the issue describes.
    const bye = uac.requests.find((r) => r.method === 'BYE')!;
    expect(bye.uri, both).toBe(`sip:${CALLEE.username}@127.0.0.1:${server.udpPort}`);
    expect(bye.routes, both).toHaveLength(0);
    const rows = await eventually(
      'five CALL rows',
      () => cdrRows(server.dataDir).filter((r) => r.record_type === 'CALL'),
      (r) => r.length >= 5,
    );
    expect(rows.map((r) => `${r.call_state} ${r.status_code} ${r.hangup_by}`)).toEqual(
      Array(5).fill('ENDED 200 caller'),
    );
  });
});
