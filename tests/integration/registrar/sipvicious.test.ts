// What an attacker's standard kit learns from IMS Lab on loopback (Debian's sipvicious 0.3): svwar
// scanning extensions with REGISTER, INVITE and OPTIONS (forced past its sanity check, so that every
// answer is compared) finds nobody, although 1001-1003 exist and 1002 is registered; svcrack with the
// right password at position 7 of its list does not crack the account (5 failures lock that user name
// from that address), while the same user still registers from another address and the lock shows in
// DSP LOCKOUT, /metrics and the log. Control: svcrack does crack a password it reaches before the lock.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import { newBranch, newTag } from '../../../core/sip/message/index';
import { RegisteringUa, contactOf, openUdp, responseTo, type SipChannel } from '../../support/sip-client';
import { sipBytes } from '../../support/sip-text';
import { freePort } from '../../support/sipp';

const SVWAR = '/usr/bin/svwar';
const SVCRACK = '/usr/bin/svcrack';
const HAS_SIPVICIOUS = existsSync(SVWAR) && existsSync(SVCRACK);
if (!HAS_SIPVICIOUS)
  process.stderr.write(
    `[sipvicious] ${SVWAR} or ${SVCRACK} not found (apt-get install sipvicious): skipped\n`,
  );

const ADMIN = 'sipvicious-admin';

/** Runs a tool to its end (bounded: SIGKILL by PID after `timeoutMs`); its output, both streams. */
function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const guard = setTimeout(() => {
      if (proc.pid !== undefined && proc.exitCode === null) process.kill(proc.pid, 'SIGKILL');
    }, timeoutMs);
    proc.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, output });
    });
  });
}

describe.skipIf(!HAS_BUILD || !HAS_SIPVICIOUS)('sipvicious against the server', () => {
  let server: LabServer;
  let phone: SipChannel;

  beforeAll(async () => {
    server = await startLabServer({ env: { IMS_ADMIN_PASSWORD: ADMIN } });
    // 1002 registered (a contact that never answers: the phone is not picking up OPTIONS).
    phone = await openUdp({ host: server.host, port: server.udpPort });
    const ua = new RegisteringUa(phone, { username: '1002', password: '1002' });
    expect((await ua.register([contactOf(phone, '1002')], 600)).status).toBe(200);
  });

  afterAll(async () => {
    await phone?.close();
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  /** How many requests of `method` the server has received (its /metrics). */
  async function received(method: string): Promise<number> {
    const text = await (await fetch(`${await consoleUrl(server)}/metrics`)).text();
    const m = new RegExp(`^sip_requests_in_total\\{method="${method}"\\} (\\d+)$`, 'm').exec(text);
    return Number(m?.[1] ?? 0);
  }

  for (const method of ['REGISTER', 'INVITE', 'OPTIONS']) {
    it(`svwar -m ${method} finds nobody among 1000-1010`, async () => {
      const before = await received(method);
      const { output } = await run(
        SVWAR,
        ['--force', '-m', method, '-e', '1000-1010', '-p', String(server.udpPort)]
          .concat(['-P', String(await freePort()), '-x', '127.0.0.1', '--maximumtime', '20'])
          .concat([server.host]),
        60_000,
      );
      expect(output).toMatch(/found nothing/);
      expect(output).not.toMatch(/extension '\d+' (exists|probably exists)/);
      // It reached the server: its probe for a random extension got the answer any user gets, which
      // leaves it nothing to compare (it gives up, or scans and sees the same answer everywhere).
      expect((await received(method)) - before, output).toBeGreaterThanOrEqual(1);
    });
  }

  it('answers a request without credentials the same for an existing user and a missing one', async () => {
    const ch = await openUdp({ host: server.host, port: server.udpPort });
    let cseq = 0;
    /** The status line answering `method` for `user`, From our domain (like svwar) or a foreign one. */
    const ask = async (method: string, user: string, from: 'ours' | 'foreign'): Promise<string> => {
      const seq = ++cseq;
      const fromUri = from === 'ours' ? `sip:${user}@127.0.0.1` : 'sip:scanner@198.51.100.9';
      ch.send(
        sipBytes([
          `${method} sip:${user}@127.0.0.1:${server.udpPort} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${ch.localPort};branch=${newBranch()};rport`,
          'Max-Forwards: 70',
          `From: <${fromUri}>;tag=${newTag()}`,
          `To: <sip:${user}@127.0.0.1>`,
          `Call-ID: enum-${seq}@test`,
          `CSeq: ${seq} ${method}`,
          `Contact: <sip:${user}@127.0.0.1:${ch.localPort}>`,
          ...(method === 'SUBSCRIBE' ? ['Event: presence', 'Expires: 60'] : []),
        ]),
      );
      const res = await responseTo(ch, seq);
      return `${res.status} ${res.reasonText}`;
    };
    try {
      for (const method of ['REGISTER', 'INVITE', 'MESSAGE', 'OPTIONS', 'SUBSCRIBE', 'INFO']) {
        for (const from of ['ours', 'foreign'] as const) {
          const existing = await ask(method, '1001', from);
          const missing = await ask(method, '9999', from);
          expect(missing, `${method} from ${from} domain`).toBe(existing);
          expect(existing).not.toMatch(/^(2|404)/);
        }
      }
    } finally {
      await ch.close();
    }
  });

  it('svcrack with the right password at position 7 does not crack; the user registers from elsewhere', async () => {
    const dir = server.dataDir;
    const words = join(dir, 'words.txt');
    writeFileSync(words, ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', '1001', 'a8'].join('\n') + '\n');
    const crack = await run(
      SVCRACK,
      ['-u', '1001', '-d', words, '-p', String(server.udpPort), '-P', String(await freePort())].concat([
        '-x',
        '127.0.0.1',
        '--maximumtime',
        '30',
        server.host,
      ]),
      60_000,
    );
    expect(crack.output).toMatch(/found nothing/);
    expect(crack.output).not.toMatch(/The password for 1001/);

    // The lock: once in the log (with the source), in DSP LOCKOUT, counted in /metrics.
    await server.child.waitFor(/\[auth\] locked out user 1001 from 127\.0\.0\.1 for 120 s/, 5000);
    expect(server.child.output().match(/locked out user 1001/g)).toHaveLength(1);
    const locks = await runMml(server, ADMIN, 'DSP LOCKOUT');
    expect(locks.results[0]!.tables[0]!.rows).toEqual([['127.0.0.1', '1001', expect.any(Number)]]);
    const metrics = await (await fetch(`${await consoleUrl(server)}/metrics`)).text();
    expect(metrics).toMatch(/^sip_auth_lockouts_total\{scope="user"\} 1$/m);
    expect(metrics).toMatch(/^sip_auth_locked_out_total \d+$/m);

    // The owner, from another address, is not locked out.
    const elsewhere = await openUdp({ host: server.host, port: server.udpPort }, '127.0.0.2');
    try {
      const owner = new RegisteringUa(elsewhere, { username: '1001', password: '1001' });
      expect((await owner.register([contactOf(elsewhere, '1001')], 600)).status).toBe(200);
    } finally {
      await elsewhere.close();
    }

    // The operator lifts the lock; from 127.0.0.1 the user registers again.
    const lifted = await runMml(server, ADMIN, 'RMV LOCKOUT SOURCE=127.0.0.1 USERNAME=1001');
    expect(lifted.results[0]!.retcode, lifted.text).toBe(0);
    const again = new RegisteringUa(phone, { username: '1001', password: '1001' });
    expect((await again.register([contactOf(phone, '1001')], 600)).status).toBe(200);
  });

  it('control: svcrack does crack a password it reaches before the lockout', async () => {
    const words = join(server.dataDir, 'words-short.txt');
    writeFileSync(words, 'b1\n1003\nb3\n');
    const crack = await run(
      SVCRACK,
      ['-u', '1003', '-d', words, '-p', String(server.udpPort), '-P', String(await freePort())].concat([
        '-x',
        '127.0.0.1',
        '--maximumtime',
        '30',
        server.host,
      ]),
      60_000,
    );
    expect(crack.output).toMatch(/1003\s*\|\s*1003/);
  });
});
