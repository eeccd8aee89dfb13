// The headless server's console side: /healthz and /metrics, the admin login (required for the API and
// the WebSocket, rate-limited), the control contract over the WebSocket (MML, snapshots, events, bad
// requests), the `mml` command-line client's exit codes, and the renderer served over HTTP.
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Console } from '../../support/console-client';
import { HAS_BUILD, SERVER_BUNDLE, startNode } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, contactOf, openUdp, type SipChannel } from '../../support/sip-client';

const PASSWORD = 'console-test-secret';
let server: LabServer;
let base: string;

async function login(password = PASSWORD): Promise<Response> {
  return fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password }),
  });
}

async function token(): Promise<string> {
  const res = await login();
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

function runCli(args: string[], env: NodeJS.ProcessEnv) {
  const c = startNode([SERVER_BUNDLE, 'mml', ...args], { IMS_URL: base, ...env });
  return c.exited.then((code) => ({ code, output: c.output() }));
}

describe.skipIf(!HAS_BUILD)('headless console: HTTP, login, WebSocket control contract, mml client', () => {
  beforeAll(async () => {
    server = await startLabServer({ env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' } });
    const line = await server.child.waitFor(/Console on (http:\/\/[\d.]+:\d+)\//);
    base = /Console on (http:\/\/[\d.]+:\d+)\//.exec(line)![1]!;
    expect(server.child.output()).not.toContain('Admin password (generated');
    // The start's log lines come first, as they happened (the log writes in batches).
    const out = server.child.output();
    expect(out.indexOf('SIP on ')).toBeGreaterThan(-1);
    expect(out.indexOf('SIP on ')).toBeLessThan(out.indexOf('Console on '));
  });

  afterAll(async () => {
    if (server) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  it('answers /healthz with the status as JSON, without a login', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', users: 3, registrations: 0, calls: 0 });
    // Nothing a probe needs: where the data lives, the process id (behind the console's login).
    expect([body.dataDir, body.pid]).toEqual([undefined, undefined]);
    expect(body.sip).toEqual({ host: '127.0.0.1', udpPort: server.udpPort, tcpPort: server.tcpPort });
  });

  it('serves Prometheus text on /metrics, every line a comment or a sample', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    for (const line of text.trimEnd().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{\w+="[^"]*"(,\w+="[^"]*")*\})? -?[\d.e+]+)$/);
    }
    expect(text).toMatch(/^ims_registrations \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(text).toMatch(/^ims_gc_collections_total\{kind="full"\} \d+$/m);
    expect(text).toMatch(/^ims_gc_pause_seconds_total\{kind="young"\} [\d.e+-]+$/m);
  });

  it('counts in /metrics the responses sent by method and class, the dialogs by state, the evidence writers', async () => {
    const metrics = async (): Promise<string> => (await fetch(`${base}/metrics`)).text();
    const sent4xx = (text: string): number =>
      Number(/^sip_replies_total\{direction="sent",method="REGISTER",class="4xx"\} (\d+)$/m.exec(text)?.[1]);
    const before = await metrics();
    // Every series from the start, at 0 before its first event.
    expect(before.match(/^sip_replies_total\{/gm)).toHaveLength(168);
    expect(before).toMatch(/^sip_dialogs\{state="early"\} 0$/m);
    expect(before).toMatch(/^sip_dialogs\{state="confirmed"\} 0$/m);
    expect(before).toMatch(/^ims_cdr_write_failures_total\{store="sqlite"\} 0$/m);
    expect(before).toMatch(/^ims_cdr_rows_written_total\{store="csv"\} \d+$/m);
    for (const name of [
      'ims_hep_packets_sent_total',
      'ims_hep_send_errors_total',
      'ims_trace_db_write_failures_total',
    ])
      expect(before).toMatch(new RegExp(`^${name} 0$`, 'm'));
    const ch: SipChannel = await openUdp({ host: '127.0.0.1', port: server.udpPort });
    try {
      expect((await new RegisteringUa(ch, { username: '1001', password: 'x' }).send()).status).toBe(401);
    } finally {
      ch.close();
    }
    expect(sent4xx(await metrics())).toBe(sent4xx(before) + 1);
  });

  it('lets no other site frame the console, and no answer be sniffed', async () => {
    for (const path of ['/', '/api/session', '/healthz']) {
      const res = await fetch(`${base}${path}`);
      expect(res.headers.get('content-security-policy'), path).toBe("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('serves the renderer', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('<div id="root">');
    expect((await fetch(`${base}/../../etc/passwd`)).status).not.toBe(500);
  });

  it('answers a missing file under /assets/ with 404, not the page (an older build’s chunk after an upgrade)', async () => {
    // A tab left open across an upgrade asks for its build's chunk: index.html as a script was a MIME error
    // the page took for a lost connection.
    const gone = await fetch(`${base}/assets/DialerView-CN1qrILA.js`);
    expect([gone.status, gone.headers.get('content-type')]).toEqual([404, 'application/json']);
    // A route of the app is still its page.
    const route = await fetch(`${base}/dialer`);
    expect([route.status, route.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  });

  it('refuses the API and the WebSocket without a login', async () => {
    const res = await fetch(`${base}/api/mml`, { method: 'POST', body: JSON.stringify({ mml: 'DSP USER' }) });
    expect(res.status).toBe(401);
    const refused = await new Promise<string>((ok) => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`);
      ws.on('unexpected-response', (_req, r) => ok(String(r.statusCode)));
      ws.on('open', () => ok('open'));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe('401');
  });

  it('logging out closes every console open on that session (4401), not the others', async () => {
    const doomed = await token();
    const [a, b] = [await Console.open(base, doomed), await Console.open(base, doomed)];
    const other = await Console.open(base, await token());
    const closed = (c: Console): Promise<number> =>
      new Promise((ok) => c.ws.once('close', (code) => ok(code)));
    const codes = Promise.all([closed(a), closed(b)]);
    const out = await fetch(`${base}/api/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${doomed}` },
    });
    expect(out.status).toBe(200);
    expect(await codes).toEqual([4401, 4401]);
    expect(await other.request({ op: 'execute', mml: 'DSP USER' })).toMatchObject({ ok: true });
    other.ws.close();
  });

  it('answers GET on an unknown API with 404, on a POST endpoint with 405 and Allow', async () => {
    const nope = await fetch(`${base}/api/nope`);
    expect([nope.status, await nope.json()]).toEqual([404, { error: 'no API /api/nope' }]);
    const mml = await fetch(`${base}/api/mml`);
    expect([mml.status, mml.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it("refuses another site's page: a cross-origin POST (even to /api/login) and WebSocket, 403", async () => {
    const evil = { origin: 'http://evil.example', 'content-type': 'text/plain' };
    const forged = await fetch(`${base}/api/login`, {
      method: 'POST',
      headers: evil,
      body: JSON.stringify({ password: 'wrong' }),
    });
    expect([forged.status, await forged.json()]).toEqual([
      403,
      { error: 'a request from another site (Origin) is refused' },
    ]);
    // Its own page's Origin, and none (scripts), are fine.
    const own = await fetch(`${base}/api/login`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(own.status).toBe(200);
    const token = ((await own.json()) as { token: string }).token;
    const refused = await new Promise<number>((done) => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/ws?token=${token}`, {
        origin: 'http://evil.example',
      });
      ws.on('unexpected-response', (_req, res) => done(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        done(101);
      });
    });
    expect(refused).toBe(403);
  });

  it('refuses a page under a name pointed here by another (DNS rebinding) until HTTP.ALLOWED_HOSTS lists it', async () => {
    const port = new URL(base).port;
    const rebound = { host: `evil.example:${port}`, origin: `http://evil.example:${port}` };
    const post = async (headers: Record<string, string>) => {
      const req = request(`${base}/api/login`, { method: 'POST', headers });
      req.end(JSON.stringify({ password: PASSWORD }));
      const [res] = (await once(req, 'response')) as [IncomingMessage];
      let body = '';
      for await (const chunk of res) body += String(chunk);
      return [res.statusCode, JSON.parse(body) as Record<string, unknown>] as const;
    };
    expect(await post(rebound)).toEqual([
      403,
      {
        error:
          "the console was reached by the name evil.example, which is not known to be this appliance's (a web page elsewhere could point it here): use its IP address, or add evil.example to HTTP.ALLOWED_HOSTS",
      },
    ]);
    // A name of one label (a LAN's, Docker's) or under .local is no attacker's.
    expect((await post({ host: `ims-lab:${port}`, origin: `http://ims-lab:${port}` }))[0]).toBe(200);
    expect((await post({ host: `bench.local:${port}`, origin: `http://bench.local:${port}` }))[0]).toBe(200);
    const upgrade = async () => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/ws?token=${await token()}`, {
        headers: rebound,
      });
      return new Promise<number>((done) => {
        ws.on('unexpected-response', (_req, res) => done(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          done(101);
        });
      });
    };
    expect(await upgrade()).toBe(403);
    const c = await Console.open(base, await token());
    const mml = async (command: string) =>
      ((await c.request({ op: 'execute', mml: command })) as { result: { text: string } }).result.text;
    try {
      expect(await mml('SET CFG: KEY="HTTP.ALLOWED_HOSTS", VALUE="evil.example"')).toContain('RETCODE = 0');
      expect((await post(rebound))[0]).toBe(200);
      expect(await upgrade()).toBe(101);
      expect(await mml('SET CFG: KEY="HTTP.ALLOWED_HOSTS", VALUE=""')).toContain('RETCODE = 0');
    } finally {
      c.ws.close();
    }
  });

  it('answers a malformed percent-encoding with 400 (401 before a login), never a 500', async () => {
    const bad = '%E0%A4%A';
    expect((await fetch(`${base}/${bad}`)).status).toBe(400);
    for (const nul of ['/%00', '/index.html%00.js']) expect((await fetch(`${base}${nul}`)).status).toBe(400);
    expect((await fetch(`${base}/api/export/${bad}`)).status).toBe(401);
    const auth = { headers: { authorization: `Bearer ${await token()}` } };
    for (const path of [`/api/export/${bad}`, `/api/trace-export/${bad}`]) {
      const r = await fetch(`${base}${path}`, auth);
      expect([r.status, await r.json()]).toEqual([
        400,
        { error: 'malformed percent-encoding in the file name' },
      ]);
    }
  });

  it('answers a body over 2 MB with 413 naming the limit, and keeps serving', async () => {
    const headers = { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' };
    const big = JSON.stringify({ mml: `DSP USER:SEARCH="${'A'.repeat(2100 * 1024)}"` });
    const res = await fetch(`${base}/api/mml`, { method: 'POST', headers, body: big });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'body larger than 2097152 bytes' });
    const ok = await fetch(`${base}/api/mml`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ mml: 'DSP USER' }),
    });
    expect(ok.status).toBe(200);
    // Without a session nobody's body is read: 401 first, whatever it holds.
    for (const body of [big, 'not JSON'])
      expect((await fetch(`${base}/api/mml`, { method: 'POST', body })).status).toBe(401);
  });

  it('refuses a body that is not UTF-8 (GBK, Latin-1) with 400, changing nothing', async () => {
    const headers = { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' };
    // 张三 in GBK (D5 C5 C8 FD), café in Latin-1 (E9): they became U+FFFD and were stored so.
    const gbk = Buffer.concat([
      Buffer.from('{"mml":"ADD USER USERNAME=8102 PASSWORD=abcd NAME=\\"'),
      Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]),
      Buffer.from('\\""}'),
    ]);
    const latin1 = Buffer.concat([
      Buffer.from('{"command":"ADD USER USERNAME=8103 PASSWORD=abcd NAME=caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    for (const [path, body] of [
      ['/api/mml', gbk],
      ['/api/execute', latin1],
    ] as const) {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers, body });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'body is not UTF-8 text' });
    }
    const users = await fetch(`${base}/api/mml`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ mml: 'DSP USER SEARCH=810' }),
    });
    expect(JSON.stringify(await users.json())).not.toMatch(/810[23]/);
  });

  it('runs MML, answers snapshots, refuses malformed requests, and sends events', async () => {
    const c = await Console.open(base, await token());
    const run = await c.request({ op: 'execute', mml: 'ADD USER:USERNAME=2001,PASSWORD="pw 2001"' });
    expect(run).toMatchObject({ ok: true });
    expect((run.result as { results: { retcode: number }[] }).results[0]!.retcode).toBe(0);
    const users = await c.request({ op: 'snapshot', name: 'users', query: { search: '2001' } });
    expect((users.result as { total: number }).total).toBe(1);
    expect(await c.request({ op: 'snapshot', name: 'bogus' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('name: expected one of') as unknown,
    });
    expect(await c.request({ op: 'execute' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('mml') as unknown,
    });
    expect(await c.request({ op: 'subscribe', topics: ['registration', 'nope'] })).toMatchObject({
      ok: false,
    });
    expect(await c.request({ op: 'subscribe', topics: ['registration', 'mml'] })).toEqual({
      id: expect.any(Number) as unknown,
      ok: true,
      result: ['registration', 'mml'],
    });

    // A REGISTER from a real UDP client shows up as a registration event.
    const ch: SipChannel = await openUdp({ host: '127.0.0.1', port: server.udpPort });
    try {
      const ua = new RegisteringUa(ch, { username: '2001', password: 'pw 2001' });
      expect((await ua.register([contactOf(ch, '2001')], 120)).status).toBe(200);
      const e = await c.event('registration');
      expect(e).toMatchObject({
        type: 'bound',
        binding: { aor: expect.stringContaining('2001') as unknown },
      });
    } finally {
      ch.close();
    }
    await c.request({ op: 'execute', mml: 'DSP REG' });
    expect(await c.event('mml')).toMatchObject({ command: expect.stringContaining('DSP REG') as unknown });
    c.ws.close();
  });

  it('mml client: exit 0 on RETCODE 0, 1 on a failed command, 2 on a wrong password', async () => {
    const ok = await runCli(['DSP USER'], { IMS_ADMIN_PASSWORD: PASSWORD });
    expect(ok.code).toBe(0);
    expect(ok.output).toContain('RETCODE = 0');
    expect(ok.output).toMatch(/^1001 /m);
    const failed = await runCli(['RMV USER:USERNAME=9999,CONFIRM=YES'], { IMS_ADMIN_PASSWORD: PASSWORD });
    expect(failed.code).toBe(1);
    expect(failed.output).toMatch(/RETCODE = [1-9]/);
    const refused = await runCli(['DSP USER'], { IMS_ADMIN_PASSWORD: 'nope' });
    expect(refused.code).toBe(2);
    expect(refused.output).toContain('refused (401)');
    // Nobody listening: said so, not fetch's bare "fetch failed".
    const free = createServer().listen(0, '127.0.0.1');
    await once(free, 'listening');
    const port = (free.address() as AddressInfo).port;
    await new Promise((done) => free.close(done));
    const url = `http://127.0.0.1:${port}`;
    const closed = await runCli(['DSP USER'], { IMS_ADMIN_PASSWORD: PASSWORD, IMS_URL: url });
    expect(closed.code).toBe(2);
    expect(closed.output).toContain(`mml: cannot reach ${url}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('slows down a password guesser: 429 with Retry-After after 5 failures (the wrong CLI login counts)', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await login(`guess-${i}`)).status);
    // One failure came from the mml client test above: 4 more 401s, then locked.
    expect(codes).toEqual([401, 401, 401, 401, 429, 429]);
    const locked = await login();
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe.skipIf(!HAS_BUILD)('the first start', () => {
  it('stores no admin password when its SIP port is taken, and shows the one the next start generates', async () => {
    const holder = createServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as AddressInfo).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'ims-first-'));
    const env = {
      IMS_DATA_DIR: dataDir,
      IMS_ADMIN_PASSWORD: '',
      SIP_HOST: '127.0.0.1',
      SIP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      SIP_WARMUP_CALLS: '0',
    };
    try {
      // The ports are checked before the database is opened: no password is kept that nobody saw.
      const first = startNode([SERVER_BUNDLE], env);
      expect(await first.exited).toBe(2);
      expect(first.output()).toMatch(/SIP_PORT: TCP 127\.0\.0\.1:\d+ is already in use/);
      expect(first.output()).not.toContain('Admin password');
      const second = startNode([SERVER_BUNDLE], { ...env, SIP_PORT: '0' });
      await second.waitFor(/Console on http:/);
      second.proc.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(second.output()).toMatch(/Admin password \(generated, shown this once[^)]*\): \S+/);
    } finally {
      holder.close();
      removeDataDir(dataDir);
    }
  });
});
