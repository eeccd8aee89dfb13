// A caller who withholds its number (RFC 3323 §4.1.1.3: From "Anonymous" <sip:anonymous@anonymous.invalid>,
// Privacy: id) and authenticates as 4701 (README "Withheld numbers"): its CDR row keeps the From as sent
// and says who placed it, the authenticated user in `aor` and `extra_info`, with the P-Asserted-Identity
// the phone sent (RFC 3325). It said `anonymous` alone, so no one could bill or find it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP } from '../../support/sipp';
import { theRow } from './cdr-reader';
import { answers, call, describeBoth, startCallee, stopStrayCallees, user, users } from './parties';

const CALLER = user(4701);

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('proxy: a withheld-number call in the CDR', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4701, 2) });
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('names the authenticated user beside the anonymous From', async () => {
    const callee = user(4702);
    const uas = await startCallee(server, callee, 'proxy_uas_answer.xml');
    const caller = await call(server, 'proxy_uac_call_anonymous.xml', CALLER, callee.username, {
      pauseMs: 0,
    });
    const answered = await uas.result;
    const both = describeBoth(caller, answered);
    expect(caller.code, both).toBe(0);
    expect(answers(caller), both).toContain('200 BYE');
    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      call_state: 'ENDED',
      caller_number: 'anonymous',
      from_uri: 'sip:anonymous@anonymous.invalid',
      callee_number: callee.username,
      extra_info: `Authenticated as ${CALLER.username}; P-Asserted-Identity <sip:${CALLER.username}@127.0.0.1> (as sent, not verified)`,
    });
    expect(row.aor).toMatch(new RegExp(`^sip:${CALLER.username}@`));
  });
});
