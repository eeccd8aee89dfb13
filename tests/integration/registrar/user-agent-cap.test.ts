// A REGISTER with a 60,000-character User-Agent against the built server: the binding keeps 256
// characters of it (cut with "…"), so DSP REG and the registration's CDR row (the database and the day
// file) hold those, not 60 KB at every refresh; the SIP trace keeps the message whole (it is the wire).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CDR_COLUMNS } from '../../../core/cdr/record';
import { removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_BUILD } from '../../support/processes';
import { contactOf, openUdp, RegisteringUa, type SipChannel } from '../../support/sip-client';
import { csvDay, csvDays, waitForRows } from '../proxy/cdr-reader';

const PASSWORD = 'ua-cap-admin-pass';
const UA = `LongPhone/1.0 ${'x'.repeat(60_000 - 14)}`;
const KEPT = `${UA.slice(0, 255)}…`;

describe.skipIf(!HAS_BUILD)('a 60,000-character User-Agent', () => {
  let server: LabServer;
  let ch: SipChannel;
  let ua: RegisteringUa;

  beforeAll(async () => {
    server = await startLabServer({
      users: [{ username: '1001', password: 'pw-1001' }],
      env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' },
    });
    ch = await openUdp({ host: server.host, port: server.udpPort });
    ua = new RegisteringUa(ch, { username: '1001', password: 'pw-1001' });
    expect((await ua.register([contactOf(ch, '1001')], 3600, { userAgent: UA })).status).toBe(200);
  }, 30_000);

  afterAll(async () => {
    await ch?.close();
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('is kept to 256 characters in the binding (DSP REG) and the CDR row, whole in the trace', async () => {
    const reg = await runMml(server, PASSWORD, 'DSP REG: URI="1001"');
    const table = reg.results[0]!.tables[0]!;
    const column = table.columns.findIndex((c) => /user.?agent/i.test(c.name));
    expect(column, JSON.stringify(table.columns)).toBeGreaterThanOrEqual(0);
    expect(table.rows[0]![column]).toBe(KEPT);
    expect(reg.text.length).toBeLessThan(5000);

    const [row] = await waitForRows(server.dataDir, ua.callId, 'REGISTER');
    expect(row!.user_agent).toBe(KEPT);
    const [day] = csvDays(server.dataDir);
    const lines = csvDay(server.dataDir, day!);
    const userAgent = CDR_COLUMNS.indexOf('user_agent');
    const mine = lines.filter((l) => l.includes(ua.callId));
    expect(mine.length).toBeGreaterThan(0);
    for (const l of mine) expect(l[userAgent]).toBe(KEPT);

    const exported = await runMml(server, PASSWORD, `EXP TRACE: CALLID="${ua.callId}", FORMAT=TEXT`);
    expect(exported.results[0]!.retcode, exported.text).toBe(0);
    const file = readFileSync(exported.results[0]!.tables[0]!.rows[0]![0] as string, 'utf8');
    expect(file).toContain(`User-Agent: ${UA}\r\n`);
  });
});
