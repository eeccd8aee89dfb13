// An OPTIONS to a user through the proxy (RFC 3261 §11): challenged, relayed to the user's phone, its
// answer relayed back, and an OPTIONS row in the CDR of what the asker got, as the original wrote one
// for every OPTIONS (original-server.md §3.3); one for a user with no phone registered too (480). The
// row runs from the OPTIONS to its answer, as a MESSAGE's does.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP } from '../../support/sipp';
import { theRow } from './cdr-reader';
import { answers, call, describeBoth, startCallee, stopStrayCallees, user, users } from './parties';

const ASKER = user(4301);

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('proxy: OPTIONS to a user', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4301, 4) });
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it("relays it to the user's phone and keeps an OPTIONS row with the phone's answer", async () => {
    const phone = user(4302);
    const uas = await startCallee(server, phone, 'proxy_options_uas.xml');
    const asker = await call(server, 'proxy_options.xml', ASKER, phone.username);
    const received = await uas.result;
    const both = describeBoth(asker, received);
    expect(asker.code, both).toBe(0);
    expect(answers(asker), both).toEqual(['407 OPTIONS', '200 OPTIONS']);
    expect(asker.responses[1]!.header('server')).toBe('ims-lab-sipp-phone');
    const row = await theRow(server.dataDir, asker.requests[0]!.callId, 'OPTIONS');
    expect(row).toMatchObject({
      record_type: 'OPTIONS',
      call_state: 'COMPLETED',
      caller_number: ASKER.username,
      caller_port: asker.localPort,
      callee_number: phone.username,
      callee_ip: '127.0.0.1',
      callee_port: uas.localPort,
      status_code: 200,
      status_text: 'OK',
      user_agent: 'ims-lab-sipp-asker',
      callee_user_agent: 'ims-lab-sipp-phone',
      cseq: '2 OPTIONS',
    });
  });

  it('a phone that answers 1.5 s later: the row starts when the OPTIONS came, ends at the answer', async () => {
    const phone = user(4304);
    const uas = await startCallee(server, phone, 'proxy_options_uas_slow.xml');
    const asker = await call(server, 'proxy_options.xml', ASKER, phone.username);
    const received = await uas.result;
    expect(asker.code, describeBoth(asker, received)).toBe(0);
    const row = await theRow(server.dataDir, asker.requests[0]!.callId, 'OPTIONS');
    expect(row).toMatchObject({ call_state: 'COMPLETED', status_code: 200, callee_number: '4304' });
    // It started when it was relayed, not when the answer came back (start_time was end_time).
    expect(row.ended_at - row.started_at).toBeGreaterThanOrEqual(1400);
  });

  it('keeps a FAILED row of the 480 IMS Lab answers for a user with no phone registered', async () => {
    const asker = await call(server, 'proxy_options.xml', ASKER, user(4303).username);
    expect(asker.code, asker.describe()).toBe(0);
    expect(answers(asker)).toEqual(['407 OPTIONS', '480 OPTIONS']);
    const row = await theRow(server.dataDir, asker.requests[0]!.callId, 'OPTIONS');
    expect(row).toMatchObject({ call_state: 'FAILED', status_code: 480, callee_number: '4303' });
  });
});
