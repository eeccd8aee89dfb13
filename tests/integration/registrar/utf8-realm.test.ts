// A digest realm with non-ASCII characters (AUTH.REALM "实验室.lab", which SET CFG and config.json take),
// against the built server. SIP text is UTF-8 (RFC 3261 §7.3.1; a quoted-string holds UTF8-NONASCII,
// §25.1), and the digest hashes the realm and username as those bytes (RFC 7616 §3.4.2, §3.4.4). The
// Authorization was read one character per byte (latin1), so its realm never equalled the configured one:
// every phone got a bare 401 for good.
//  - sipsak (a real client, MD5) registers with the right password, not with a wrong one;
//  - a hand-written client hashing the UTF-8 bytes itself: SHA-256 with the private identity
//    1002@实验室.lab (a non-ASCII username) registers; a wrong non-ASCII username is logged by its characters;
//  - IMS Lab's own digest client (the dialer's, answerChallenge) after SET CFG changed the realm to another
//    non-ASCII one at run time: a REGISTER, and a MESSAGE through the proxy, whose Proxy-Authorization of
//    our realm is taken out before it is relayed (RFC 3261 §22.3).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuthHeader } from '../../../core/sip/auth/auth-params';
import { newCallId } from '../../../core/sip/message/index';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import {
  RegisteringUa,
  contactOf,
  openUdp,
  parseResponse,
  requestBytes,
  responseTo,
  type SipChannel,
} from '../../support/sip-client';
import { answer, nextRequest, sendAuthenticated } from '../proxy/raw-ua';

const SIPSAK = '/usr/bin/sipsak';
const HAS_SIPSAK = existsSync(SIPSAK);
if (!HAS_SIPSAK) process.stderr.write(`[sipsak] ${SIPSAK} not found (apt-get install sipsak): skipped\n`);

const REALM = '实验室.lab';
const ADMIN = 'utf8-realm-admin';

/** Runs sipsak to its end (SIGKILL by PID after 15 s): its exit code and output. */
function sipsak(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(SIPSAK, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const guard = setTimeout(() => {
      if (proc.pid !== undefined && proc.exitCode === null) process.kill(proc.pid, 'SIGKILL');
    }, 15_000);
    proc.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, output });
    });
  });
}

/** H(data) over the UTF-8 bytes of `data`, written here rather than with IMS Lab's own digest code. */
function h(algorithm: 'md5' | 'sha256', data: string): string {
  return createHash(algorithm).update(Buffer.from(data, 'utf8')).digest('hex');
}

describe.skipIf(!HAS_BUILD)('a non-ASCII digest realm', () => {
  let server: LabServer;
  const channels: SipChannel[] = [];
  const channel = async (): Promise<SipChannel> => {
    const ch = await openUdp({ host: server.host, port: server.udpPort });
    channels.push(ch);
    return ch;
  };

  beforeAll(async () => {
    server = await startLabServer({ config: { 'AUTH.REALM': REALM }, env: { IMS_ADMIN_PASSWORD: ADMIN } });
  });

  afterAll(async () => {
    for (const ch of channels) await ch.close();
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it.skipIf(!HAS_SIPSAK)('sipsak registers with the right password, not with a wrong one', async () => {
    const aor = `sip:1001@${server.host}:${server.udpPort}`;
    const good = await sipsak(['-U', '-i', '-x', '120', '-s', aor, '-u', '1001', '-a', '1001']);
    expect(good.code, good.output).toBe(0);
    const bad = await sipsak(['-U', '-i', '-x', '120', '-s', aor, '-u', '1001', '-a', 'not-1001']);
    expect(bad.code, bad.output).not.toBe(0);
    expect(bad.output).toMatch(/authorization failed/);
  });

  it('a client hashing the UTF-8 bytes (SHA-256, username 1002@实验室.lab) registers; a wrong name is logged as written', async () => {
    const ch = await channel();
    const callId = newCallId('utf8-realm');
    const uri = `sip:${server.host}:${server.udpPort}`;
    const spec = { user: '1002', callId, contacts: [contactOf(ch, '1002')], expires: 120 };
    ch.send(requestBytes(ch, { ...spec, cseq: 1 }));
    const challenge = await responseTo(ch, 1);
    expect(challenge.status).toBe(401);
    // The realm went out as its UTF-8 bytes (the message keeps bytes as latin1 chars).
    const sha = challenge.headerValues('www-authenticate').find((v) => /algorithm=SHA-256/.test(v))!;
    expect(sha).toContain(`realm="${Buffer.from(REALM, 'utf8').toString('latin1')}"`);
    const nonce = /nonce="([^"]+)"/.exec(sha)![1]!;

    const sign = (username: string, password: string, cseq: number): Buffer => {
      const ha1 = h('sha256', `${username}:${REALM}:${password}`);
      const ha2 = h('sha256', `REGISTER:${uri}`);
      const response = h('sha256', `${ha1}:${nonce}:0000000${cseq}:c${cseq}:auth:${ha2}`);
      const authorization =
        `Digest username="${username}", realm="${REALM}", nonce="${nonce}", uri="${uri}", ` +
        `response="${response}", algorithm=SHA-256, cnonce="c${cseq}", qop=auth, nc=0000000${cseq}`;
      return requestBytes(ch, { ...spec, cseq, authorization }); // the header's text as UTF-8 bytes
    };
    ch.send(sign(`1002@${REALM}`, '1002', 2));
    const ok = await responseTo(ch, 2);
    expect(ok.status, ok.toString()).toBe(200);
    expect(ok.contacts.map((c) => c.uriText)).toEqual([`sip:1002@127.0.0.1:${ch.localPort}`]);

    ch.send(sign('用户9', '1002', 3));
    expect((await responseTo(ch, 3)).status).toBe(401);
    await server.child.waitFor(/auth: failed for 用户9 \(REGISTER\)/);
  });

  it("IMS Lab's own client, after SET CFG AUTH.REALM to another non-ASCII realm: REGISTER, and a MESSAGE relayed without our credentials", async () => {
    const realm = 'Ünïcode-实验.lab';
    const set = await runMml(server, ADMIN, `SET CFG KEY=AUTH.REALM VALUE="${realm}"`);
    expect(set.results[0]!.retcode, set.text).toBe(0);

    const callee = await channel();
    const ua = new RegisteringUa(callee, { username: '1003', password: '1003' });
    const registered = await ua.register([contactOf(callee, '1003')], 120);
    expect(registered.status, registered.toString()).toBe(200);
    expect(parseAuthHeader(ua.lastChallenge!.headerValues('www-authenticate')[0]!)!.params.get('realm')).toBe(
      Buffer.from(realm, 'utf8').toString('latin1'),
    );

    const caller = await channel();
    await sendAuthenticated(
      caller,
      { username: '1001', password: '1001' },
      {
        method: 'MESSAGE',
        to: '1003',
        body: 'hello',
        contentType: 'text/plain',
      },
    );
    const relayed = await nextRequest(callee);
    expect(relayed.method).toBe('MESSAGE');
    expect(relayed.has('proxy-authorization'), relayed.toString()).toBe(false);
    callee.send(answer(relayed, 200, 'OK'));
    const done = parseResponse(await caller.next());
    expect(done.status, done.toString()).toBe(200);
  });
});
