// A SIP peer's terminal escapes (a User-Agent with OSC 0 and ESC[2J, a MESSAGE body with ESC[2J and a
// bare CR) must not reach the operator's terminal through the built server: not through the text file
// EXP TRACE FORMAT=TEXT writes (cat of it), nor the terminal text of POST /api/mml ("text", which a
// script prints with jq -r) or of the original's POST /api/execute ("output"). They are written escaped
// as the log writes them (\x1B); the pcap export keeps the bytes as they crossed the wire.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../support/console-client';
import { consoleUrl, removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_BUILD } from '../../support/processes';
import { contactOf, openUdp, RegisteringUa, responseTo, type SipChannel } from '../../support/sip-client';
import { sipBytes } from '../../support/sip-text';

const PASSWORD = 'escapes-admin-pass';
const UA = 'esc\x1b]0;PWNED\x07\x1b[2Jtail';
const UA_ESCAPED = 'esc\\x1B]0;PWNED\\x07\\x1B[2Jtail';
const BODY = 'hello\r\nline two\tTAB\x1b[2J=cmd|x\rover\r\n';
const MESSAGE_CALL_ID = 'msgbody@escapes';

describe.skipIf(!HAS_BUILD)('a peer terminal escapes in the operator-facing text', () => {
  let server: LabServer;
  let ch: SipChannel;
  let base: string;

  beforeAll(async () => {
    server = await startLabServer({
      users: [{ username: '1001', password: 'pw-1001' }],
      env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' },
    });
    base = await consoleUrl(server);
    ch = await openUdp({ host: server.host, port: server.udpPort });
    const ua = new RegisteringUa(ch, { username: '1001', password: 'pw-1001' });
    const ok = await ua.register([contactOf(ch, '1001')], 3600, { userAgent: UA });
    expect(ok.status).toBe(200);
    // An unauthenticated MESSAGE: challenged (407), kept in the trace all the same.
    const target = `sip:1001@${server.host}:${server.udpPort}`;
    ch.send(
      sipBytes(
        [
          `MESSAGE ${target} SIP/2.0`,
          `Via: SIP/2.0/UDP ${ch.localHost}:${ch.localPort};branch=z9hG4bKesc1;rport`,
          'Max-Forwards: 70',
          `From: <sip:1001@${server.host}>;tag=esc1`,
          `To: <${target}>`,
          `Call-ID: ${MESSAGE_CALL_ID}`,
          'CSeq: 1 MESSAGE',
          `User-Agent: ${UA}`,
          'Content-Type: text/plain',
        ],
        BODY,
      ),
    );
    expect((await responseTo(ch, 1)).status).toBe(407);
  }, 30_000);

  afterAll(async () => {
    await ch?.close();
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('EXP TRACE FORMAT=TEXT writes the escapes as \\x1B, lines kept; FORMAT=PCAP keeps the bytes', async () => {
    const text = await runMml(server, PASSWORD, `EXP TRACE: CALLID="${MESSAGE_CALL_ID}", FORMAT=TEXT`);
    expect(text.results[0]!.retcode, text.text).toBe(0);
    const file = readFileSync(text.results[0]!.tables[0]!.rows[0]![0] as string);
    expect(file.includes(0x1b), 'no raw ESC in the text file').toBe(false);
    expect(file.includes(0x07), 'no raw BEL in the text file').toBe(false);
    const written = file.toString('utf8');
    expect(written).toContain(`User-Agent: ${UA_ESCAPED}\r\n`);
    // The body's CRLF and tab stay; ESC and the CR not before an LF are escaped.
    expect(written).toContain('hello\r\nline two\tTAB\\x1B[2J=cmd|x\\x0Dover\r\n');

    const pcap = await runMml(server, PASSWORD, `EXP TRACE: CALLID="${MESSAGE_CALL_ID}", FORMAT=PCAP`);
    expect(pcap.results[0]!.retcode, pcap.text).toBe(0);
    const packets = readFileSync(pcap.results[0]!.tables[0]!.rows[0]![0] as string);
    expect(packets.includes(Buffer.from(`User-Agent: ${UA}\r\n`)), 'the wire bytes in the pcap').toBe(true);
    expect(packets.includes(Buffer.from(BODY))).toBe(true);
  });

  it('POST /api/mml "text" shows the User-Agent escaped; "results" keep it as it came', async () => {
    const answer = await runMml(server, PASSWORD, 'DSP REG: URI="1001"');
    expect(answer.results[0]!.retcode, answer.text).toBe(0);
    expect([...answer.text].filter((c) => c === '\x07' || c === '\x1b')).toEqual([]);
    expect(answer.text).toContain(UA_ESCAPED);
    expect(JSON.stringify(answer.results)).toContain(JSON.stringify(UA).slice(1, -1));
  });

  it('POST /api/execute "output" shows the User-Agent escaped', async () => {
    const token = await login(base, PASSWORD);
    const res = await fetch(`${base}/api/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ command: 'DSP REG: URI="1001"' }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(200);
    const { retcode, output } = (await res.json()) as { retcode: number; output: string };
    expect(retcode, output).toBe(0);
    expect([...output].filter((c) => c === '\x07' || c === '\x1b')).toEqual([]);
    expect(output).toContain(UA_ESCAPED);
  });
});
