// The canonical AORs' domain (SIP.DOMAIN) changed while phones are registered: SET CFG says it takes
// effect at once, and so it does for the bindings too. They were filed under sip:user@<old domain> while
// calls looked them up under the new one: every registered phone was unreachable (480) until it
// registered again, its Expires: 0 no longer removed the old binding, and a restart with the new domain
// kept them filed under the old one.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import { freePort, HAS_SIPP } from '../../support/sipp';
import { call, describeBoth, registerContact, startCallee, stopStrayCallees, user, users } from './parties';

const ADMIN_PASSWORD = 'domain-change-test';
const CALLER = user(4921);
const CALLEE = user(4922);
const KEPT = user(4923);

/** The canonical AORs DSP REG lists, sorted. */
async function registeredAors(server: LabServer): Promise<string[]> {
  const table = (await runMml(server, ADMIN_PASSWORD, 'DSP REG')).results[0]!.tables[0];
  const col = table?.columns.findIndex((c) => c.name === 'AOR') ?? -1;
  return (table?.rows ?? []).map((r) => String(r[col])).sort();
}

describe.skipIf(!HAS_BUILD || !HAS_SIPP)("the canonical AORs' domain changed with phones registered", () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4921, 3), env: { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  });
  afterEach(stopStrayCallees);
  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('SET CFG: the registered phone is reached at once, filed under the new domain', async () => {
    const uas = await startCallee(server, CALLEE, 'proxy_uas_answer.xml', { pauseMs: 0 });
    const set = await runMml(server, ADMIN_PASSWORD, 'SET CFG KEY=SIP.DOMAIN VALUE=lab2.test');
    expect(set.results[0]!.retcode, set.text).toBe(0);
    expect(await registeredAors(server)).toEqual(['sip:4922@lab2.test']);
    const [caller, answered] = await Promise.all([
      call(server, 'proxy_uac_call.xml', CALLER, CALLEE.username, { pauseMs: 100 }),
      uas.result,
    ]);
    expect(caller.code, describeBoth(caller, answered)).toBe(0);
    expect(answered.code, describeBoth(caller, answered)).toBe(0);
  });

  it('a restart with another domain files the stored bindings under it', async () => {
    await runMml(server, ADMIN_PASSWORD, 'CLR REG CONFIRM=YES');
    await registerContact(server, KEPT, await freePort());
    const saved = await runMml(server, ADMIN_PASSWORD, 'SET CFG KEY=SIP.DOMAIN VALUE=lab3.test;SAVE CFG');
    expect(
      saved.results.map((r) => r.retcode),
      saved.text,
    ).toEqual([0, 0]);
    // Stopped with the binding stored under lab3.test; started with lab4.test in config.json.
    expect(await server.stop()).toBe(0);
    const file = join(server.dataDir, 'config.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('lab3.test', 'lab4.test'));
    server = await startLabServer({ dataDir: server.dataDir, env: { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    expect(server.bindingsLoaded).toBe(1);
    expect(await registeredAors(server)).toEqual(['sip:4923@lab4.test']);
  });
});
