// The cdr snapshot's filters (the console's CDR view): callee, Call-ID (exactly, else a part of one in
// any case, as DSP CDR CALLID= takes it) and state, on a real appliance and its SQLite CDR store; a bad
// filter is refused with an error naming it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { callRecord } from '../../../core/cdr/from-events';
import { Settings } from '../../../core/config/settings';
import { ControlSession } from '../../../core/control/control';
import type { ControlResponse } from '../../../core/control/contract';
import { call } from '../cdr/fixtures';
import { snapshot } from './snapshot';

let dataDir: string;
let appliance: Appliance;
let session: ControlSession;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ims-control-cdr-'));
  appliance = new Appliance({ dataDir, console: false, settings: new Settings([['LOG.LEVEL', 'INFO']]) });
  session = new ControlSession(appliance, 'tester', () => undefined);
  const c = call();
  const row = (i: number, from: string, to: string, failed: boolean) =>
    callRecord(
      call({
        callId: `Ab${i}-${from}-${to}@lab`,
        id: `Ab${i}-${from}-${to}@lab`,
        state: failed ? 'failed' : 'ended',
        caller: { ...c.caller, number: from, uri: `sip:${from}@ims.lab` },
        callee: { ...c.callee, number: to, uri: `sip:${to}@ims.lab` },
        startedAt: c.startedAt + i * 1000,
        answeredAt: failed ? undefined : c.startedAt + i * 1000 + 500,
        endedAt: c.startedAt + i * 1000 + 900,
        statusCode: failed ? 480 : 200,
        statusText: failed ? 'Temporarily Unavailable' : 'OK',
      }),
    );
  appliance.cdr.insert([
    row(1, '1001', '1002', false),
    row(2, '1001', '1002', true),
    row(3, '1003', '1002', true),
    row(4, '1001', '1009', true),
  ]);
});

afterEach(async () => {
  session.close();
  await appliance.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const callIds = async (query: object): Promise<string[]> =>
  (await snapshot(session, 'cdr', query)).records.map((r) => String(r.sip_call_id));

describe('the cdr snapshot', () => {
  it('filters by callee, state (any case) and Call-ID, exactly or else a part of one in any case', async () => {
    expect(await callIds({ callee: '1002' })).toEqual([
      'Ab3-1003-1002@lab',
      'Ab2-1001-1002@lab',
      'Ab1-1001-1002@lab',
    ]);
    expect(await callIds({ callee: '1002', state: 'failed' })).toEqual([
      'Ab3-1003-1002@lab',
      'Ab2-1001-1002@lab',
    ]);
    expect(await callIds({ caller: '1001', state: 'FAILED' })).toEqual([
      'Ab4-1001-1009@lab',
      'Ab2-1001-1002@lab',
    ]);
    expect(await callIds({ callId: 'Ab2-1001-1002@lab' })).toEqual(['Ab2-1001-1002@lab']);
    // No Call-ID is that: a part of one, in any case, as DSP CDR CALLID= finds them.
    expect(await callIds({ callId: 'ab2-1001' })).toEqual(['Ab2-1001-1002@lab']);
    expect(await callIds({ callId: '-1001-', state: 'ended' })).toEqual(['Ab1-1001-1002@lab']);
    const page = await snapshot(session, 'cdr', { callId: '1002@LAB', limit: 2 });
    expect(page.total).toBe(3);
    expect(page.records).toHaveLength(2);
    const rest = await snapshot(session, 'cdr', { callId: '1002@LAB', limit: 2, before: page.next });
    expect(rest.records.map((r) => r.sip_call_id)).toEqual(['Ab1-1001-1002@lab']);
    expect(await callIds({ callId: 'nothing-like-it' })).toEqual([]);
  });

  it('refuses a bad filter with an error naming it', async () => {
    const error = async (query: object): Promise<string> => {
      const r = (await session.handle({ op: 'snapshot', name: 'cdr', query })) as ControlResponse;
      expect(r.ok, JSON.stringify(query)).toBe(false);
      return r.ok ? '' : r.error;
    };
    expect(await error({ callee: 12 })).toBe('query: callee: expected a string of at most 200 characters');
    expect(await error({ callId: 'x'.repeat(257) })).toBe(
      'query: callId: expected a string of at most 256 characters',
    );
    expect(await error({ state: 'x'.repeat(21) })).toBe(
      'query: state: expected a string of at most 20 characters',
    );
    expect(await error({ state: 'NOT A STATE' })).toBe(
      'state: must be a state such as ENDED or FAILED, got "NOT A STATE"',
    );
    expect(await error({ callIdPart: 'ab' })).toBe('query: unknown field "callIdPart"');
  });
});
