// SIP over TLS (RFC 3261 §26, RFC 5630) against the built server: only TLS 1.2 and 1.3 are accepted
// (a client limited to 1.0/1.1 gets a protocol_version alert from the server, not from its own
// library), the certificate presented is the self-signed one whose fingerprint the start-up printed,
// a REGISTER over TLS makes a TLS binding, a real phone (baresip with ;transport=tls) registers and
// calls a phone on UDP through the proxy (Record-Route doubled: TLS and UDP sides), and a certificate
// path that cannot be read stops the start with exit code 2 naming the setting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD, SERVER_BUNDLE, startNode } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, listedContacts } from '../../support/sip-client';
import { HAS_SIPP } from '../../support/sipp';
import { openTls } from '../../support/secure-channels';
import { cdrRows } from '../proxy/cdr-reader';
import { BaresipUa, HAS_BARESIP, writeToneWav } from '../proxy/baresip-ua';
import {
  call,
  describeBoth,
  receivedRequests,
  startCallee,
  stopStrayCallees,
  user,
  users,
} from '../proxy/parties';
import { eventually, healthz, listenerPorts, type ListenerPorts } from './listeners';

const ALICE = user(4601);
const BOB = user(4602);
const CAROL = user(4603);

describe.skipIf(!HAS_BUILD)('transports: SIP over TLS', () => {
  let server: LabServer;
  let ports: ListenerPorts;
  let dir: string;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4601, 3), env: { LOG_LEVEL: 'INFO' } });
    ports = await listenerPorts(server);
    dir = mkdtempSync(join(tmpdir(), 'ims-tls-'));
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (server !== undefined) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('listens on TLS; refuses TLS 1.0 and 1.1 with a protocol_version alert; accepts 1.2 and 1.3', async () => {
    expect(ports.tls).toBeGreaterThan(0);
    const target = { host: '127.0.0.1', port: ports.tls };
    for (const maxVersion of ['TLSv1', 'TLSv1.1'] as const) {
      // SECLEVEL=0 lets this client offer the old versions at all: the refusal must be the server's.
      const refused = await openTls(target, {
        minVersion: 'TLSv1',
        maxVersion,
        ciphers: 'DEFAULT@SECLEVEL=0',
      }).then(
        (ch) => ch.close().then(() => 'connected'),
        (err: NodeJS.ErrnoException) => err.code ?? String(err),
      );
      expect(refused, maxVersion).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    }
    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      const ch = await openTls(target, { minVersion: version, maxVersion: version });
      await ch.close();
    }
  });

  it('presents the generated certificate whose SHA-256 fingerprint the start-up printed', async () => {
    const printed = /SHA-256 fingerprint ([0-9A-F:]{95})/.exec(server.child.output())?.[1];
    expect(printed, server.child.output()).toBeDefined();
    const { connect } = await import('node:tls');
    const fingerprint = await new Promise<string>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: ports.tls, rejectUnauthorized: false }, () => {
        resolve(s.getPeerX509Certificate()!.fingerprint256);
        s.destroy();
      });
      s.once('error', reject);
    });
    expect(fingerprint).toBe(printed);
  });

  it('a REGISTER over TLS binds with transport TLS; /healthz lists the listener ports and the binding', async () => {
    const ch = await openTls({ host: '127.0.0.1', port: ports.tls });
    try {
      const ua = new RegisteringUa(ch, CAROL);
      const contact = `sip:${CAROL.username}@${ch.localHost}:${ch.localPort};transport=tls`;
      const res = await ua.register([`<${contact}>`], 300);
      expect(res.status, res.toString()).toBe(200);
      expect(listedContacts(res).map((c) => c.uri)).toContain(contact);
      // §18.2.2: the answer came back over the connection; our Via was stamped with where it came from.
      expect(res.topVia.transport).toBe('TLS');
      const status = await healthz(await consoleUrl(server));
      expect(status).toMatchObject({
        udpPort: ports.udp,
        tcpPort: ports.tcp,
        tlsPort: ports.tls,
        wsPort: ports.ws,
        wssPort: ports.wss,
        bindingsByTransport: { TLS: 1 },
      });
      expect((status.connections as Record<string, number>).TLS).toBeGreaterThanOrEqual(1);
      await ua.register([`<${contact}>`], 0);
    } finally {
      await ch.close();
    }
  });

  it.skipIf(!HAS_BARESIP || !HAS_SIPP)(
    'baresip with ;transport=tls registers and calls a UDP phone: Record-Route doubled, CDR transport TLS/UDP',
    async () => {
      writeToneWav(join(dir, 'tone.wav'), 20);
      const callee = await startCallee(server, BOB, 'proxy_uas_answer.xml', { pauseMs: 200 });
      const alice = await BaresipUa.start({
        dir: join(dir, 'alice'),
        user: ALICE.username,
        password: ALICE.password,
        server: { host: '127.0.0.1', port: ports.tls },
        uriParams: ';transport=tls',
        wav: join(dir, 'tone.wav'),
      });
      try {
        await eventually(
          'the TLS REGISTER row',
          () =>
            cdrRows(server.dataDir).filter(
              (r) => r.record_type === 'REGISTER' && r.caller_number === ALICE.username,
            ),
          (rows) => rows.length >= 1,
        ).then((rows) => expect(rows[0]!.transport).toBe('TLS'));
        const dialled = await alice.command(
          'dial',
          `sip:${BOB.username}@127.0.0.1:${ports.tls};transport=tls`,
        );
        expect(dialled.ok, alice.describe()).toBe(true);
        await alice.event('CALL_ESTABLISHED', 8000);
        expect((await alice.command('hangup')).ok).toBe(true);
        await alice.event('CALL_CLOSED', 3000);
        const result = await callee.result;
        expect(result.code, result.describe()).toBe(0);
        const invite = receivedRequests(result).find((r) => r.method === 'INVITE')!;
        // The callee side is UDP (our Via and the first Record-Route), the caller side TLS (RFC 5658).
        expect(invite.topVia.transport).toBe('UDP');
        const rr = invite.recordRoutes.map((r) => r.raw);
        expect(rr, describeBoth(result, result)).toHaveLength(2);
        expect(rr[0]).toMatch(new RegExp(`^<sip:127\\.0\\.0\\.1:${ports.udp};lr;dlg=[0-9a-f]{16}>$`));
        expect(rr[1]).toMatch(
          new RegExp(
            `^<sip:127\\.0\\.0\\.1:${ports.tls};lr;transport=tls;dlg=[0-9a-f]{16};flow=[\\w-]+\\.[\\w-]+>$`,
          ),
        );
        const call = await eventually(
          'the CALL row',
          () => cdrRows(server.dataDir).filter((r) => r.record_type === 'CALL'),
          (rows) => rows.length >= 1,
        );
        expect(call[0]).toMatchObject({ call_state: 'ENDED', status_code: 200, transport: 'TLS/UDP' });
      } finally {
        await alice.stop();
      }
    },
  );

  it.skipIf(!HAS_BARESIP || !HAS_SIPP)(
    'a UDP phone calls baresip registered over TLS: INVITE, ACK and BYE reach it down its TLS connection',
    async () => {
      writeToneWav(join(dir, 'tone2.wav'), 20);
      const carol = await BaresipUa.start({
        dir: join(dir, 'carol'),
        user: CAROL.username,
        password: CAROL.password,
        server: { host: '127.0.0.1', port: ports.tls },
        uriParams: ';transport=tls',
        accountParams: ';answermode=auto',
        wav: join(dir, 'tone2.wav'),
      });
      try {
        await eventually(
          'the TLS binding',
          async () =>
            ((await healthz(await consoleUrl(server))).bindingsByTransport as Record<string, number>).TLS ??
            0,
          (n) => n >= 1,
        );
        const caller = await call(server, 'proxy_uac_call.xml', BOB, CAROL.username, { pauseMs: 300 });
        expect(caller.code, `${caller.describe()}\n${carol.describe()}`).toBe(0);
        await carol.event('CALL_ESTABLISHED', 3000);
        await carol.event('CALL_CLOSED', 3000);
        const ok = caller.responses.find((r) => r.status === 200 && r.cseq.method === 'INVITE')!;
        // The callee side is TLS (with the connection's flow token), the caller side UDP.
        const rr = ok.recordRoutes.map((r) => r.raw);
        expect(rr[0]).toMatch(
          new RegExp(`^<sip:127\\.0\\.0\\.1:${ports.tls};lr;transport=tls;dlg=[0-9a-f]{16};flow=`),
        );
        expect(rr[1]).toMatch(new RegExp(`^<sip:127\\.0\\.0\\.1:${ports.udp};lr;dlg=[0-9a-f]{16}>$`));
      } finally {
        await carol.stop();
      }
    },
  );

  it('a certificate file that cannot be read stops the start: exit 2 naming SIP_TLS_CERT', async () => {
    const data = mkdtempSync(join(tmpdir(), 'ims-tls-bad-'));
    const missing = join(data, 'no-such-cert.pem');
    const c = startNode([SERVER_BUNDLE], {
      IMS_DATA_DIR: data,
      SIP_HOST: '127.0.0.1',
      SIP_PORT: '0',
      HTTP_PORT: '0',
      SIP_TLS_CERT: missing,
      SIP_TLS_KEY: join(data, 'key.pem'),
    });
    const timer = setTimeout(() => c.proc.kill('SIGKILL'), 15_000);
    const code = await c.exited;
    clearTimeout(timer);
    rmSync(data, { recursive: true, force: true });
    expect(code, c.output()).toBe(2);
    expect(c.output()).toContain(`SIP_TLS_CERT: cannot read the certificate file ${missing} (ENOENT)`);
  });
});
