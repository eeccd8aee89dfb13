// The log at INFO tells the story, one line per event (issue 11), and writing it never blocks: lines
// are queued and appended to the file asynchronously, in order, flushed on close().
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callLine, logActivity, messageLine, registrationLine } from '../../../core/activity/activity-log';
import { SILENT_LOG } from '../../../core/observe/log';
import { Logger, localStamp } from '../../../core/observe/logger';
import type { CallEvent, MessageEvent } from '../../../core/calls/call';
import type { RegistrationEvent } from '../../../core/sip/registrar/binding';
import { startNode } from '../../support/processes';
import { binding, call, message, T0 } from '../cdr/events';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('activity lines', () => {
  it('registrations: bound, refreshed from a new address, removed, expired (plain refreshes at DEBUG)', () => {
    const b = binding({ registeredAor: 'sip:1001@192.0.2.1:5060' });
    expect(registrationLine({ type: 'bound', binding: b, at: T0 })).toEqual({
      level: 'info',
      text: 'registration: sip:1001@ims.lab (as sip:1001@192.0.2.1:5060) bound sip:1001@192.0.2.10:5061;transport=udp from 192.0.2.10:5061 (UDP) for 3600 s, baresip 3.10',
    });
    const moved = { ...b, sourceAddress: '198.51.100.7', sourcePort: 40000 };
    expect(registrationLine({ type: 'refreshed', binding: moved, previous: b, at: T0 })).toMatchObject({
      level: 'info',
      text: expect.stringContaining(
        'refreshed from a new address 198.51.100.7:40000 (UDP) (was 192.0.2.10:5061 (UDP))',
      ),
    });
    expect(registrationLine({ type: 'refreshed', binding: b, previous: b, at: T0 }).level).toBe('debug');
    // RFC 5626 §6: the same device (instance ID) registered a new Contact URI in place of its old one.
    const restarted = { ...moved, contact: 'sip:1001@198.51.100.7:40000' };
    expect(registrationLine({ type: 'refreshed', binding: restarted, previous: b, at: T0 })).toEqual({
      level: 'info',
      text: "registration: sip:1001@ims.lab (as sip:1001@192.0.2.1:5060) bound sip:1001@198.51.100.7:40000 from 198.51.100.7:40000 (UDP) for 3600 s in place of sip:1001@192.0.2.10:5061;transport=udp, the same device's",
    });
    expect(registrationLine({ type: 'removed', binding: b, cause: 'unregister', at: T0 }).text).toMatch(
      /unregistered by the UA$/,
    );
    expect(registrationLine({ type: 'removed', binding: b, cause: 'operator', at: T0 }).text).toMatch(
      /removed by the operator$/,
    );
    expect(registrationLine({ type: 'expired', binding: b, at: T0 }).text).toMatch(/ expired$/);
  });

  it('calls: started, answered, ended with the reason; MESSAGE relayed with its answer', () => {
    const c = call();
    expect(callLine({ type: 'started', call: c, at: T0 })).toBe(
      'call a84b4c76e66710@pc33.lab: 1001 → 1002 started from 192.0.2.10:5061',
    );
    expect(callLine({ type: 'answered', call: c, at: T0 })).toBe(
      'call a84b4c76e66710@pc33.lab: 1001 → 1002 answered after 0.50 s, PCMU, PCMA',
    );
    expect(callLine({ type: 'ended', call: c, at: T0 })).toBe(
      'call a84b4c76e66710@pc33.lab: 1001 → 1002 ended (Normal, by caller), 3.0 s talk',
    );
    const busy = call({
      state: 'failed',
      answeredAt: undefined,
      statusCode: 486,
      statusText: 'Busy Here',
      endReason: '486 Busy Here',
      hangupBy: 'callee',
    });
    expect(callLine({ type: 'ended', call: busy, at: T0 })).toBe(
      'call a84b4c76e66710@pc33.lab: 1001 → 1002 failed (486 Busy Here, by callee), not answered',
    );
    expect(callLine({ type: 'ringing', call: c, at: T0 })).toBeUndefined();
    expect(messageLine(message())).toBe('message 595219@192.0.2.10: 1001 → 1002 relayed, 200 OK');
    // One IMS Lab answered itself went nowhere.
    expect(
      messageLine(message({ statusCode: 480, statusText: 'Temporarily Unavailable', refused: true })),
    ).toBe('message 595219@192.0.2.10: 1001 → 1002 refused, 480 Temporarily Unavailable');
  });

  it('logActivity writes one INFO line per event to the logger', () => {
    const logger = new Logger({ level: 'INFO', console: false });
    const reg: ((e: RegistrationEvent) => void)[] = [];
    const calls: ((e: CallEvent) => void)[] = [];
    const msgs: ((e: MessageEvent) => void)[] = [];
    logActivity(logger.for('sip'), {
      onRegistration: (l) => (reg.push(l), () => undefined),
      onCall: (l) => (calls.push(l), () => undefined),
      onMessage: (l) => (msgs.push(l), () => undefined),
    });
    reg[0]!({ type: 'bound', binding: binding(), at: T0 });
    reg[0]!({ type: 'refreshed', binding: binding(), previous: binding(), at: T0 });
    calls[0]!({ type: 'started', call: call(), at: T0 });
    msgs[0]!(message());
    expect(logger.recent(10).map((r) => `${r.level} ${r.source} ${r.text.split(':')[0]}`)).toEqual([
      'INFO sip registration',
      'INFO sip call a84b4c76e66710@pc33.lab',
      'INFO sip message 595219@192.0.2.10',
    ]);
  });

  it('builds a plain refresh line only while DEBUG lines are kept; a move to a new address or Contact is INFO always', () => {
    let debug = false;
    const lines: string[] = [];
    const log = {
      ...SILENT_LOG,
      debug: (t: string) => lines.push(`DEBUG ${t}`),
      info: (t: string) => lines.push(`INFO ${t}`),
    };
    const reg: ((e: RegistrationEvent) => void)[] = [];
    const none = () => () => undefined;
    logActivity(
      log,
      { onRegistration: (l) => (reg.push(l), () => undefined), onCall: none, onMessage: none },
      () => debug,
    );
    const b = binding();
    const moved = { ...b, sourceAddress: '198.51.100.7' };
    reg[0]!({ type: 'refreshed', binding: b, previous: b, at: T0 });
    reg[0]!({ type: 'refreshed', binding: moved, previous: b, at: T0 });
    // The same device's new Contact from the same address (RFC 5626 §6): INFO too.
    const newContact = { ...b, contact: 'sip:1001@192.0.2.10:5062' };
    reg[0]!({ type: 'refreshed', binding: newContact, previous: b, at: T0 });
    debug = true;
    reg[0]!({ type: 'refreshed', binding: b, previous: b, at: T0 });
    expect(lines.map((l) => l.split(' refreshed')[0].split(' from ')[0])).toEqual([
      `INFO registration: ${b.aor} ${b.contact}`,
      `INFO registration: ${b.aor} bound sip:1001@192.0.2.10:5062`,
      `DEBUG registration: ${b.aor} ${b.contact}`,
    ]);
  });
});

describe('Logger file writes', () => {
  it('queue without touching the disk, then append in order asynchronously; close() waits for them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-log-'));
    dirs.push(dir);
    const logger = new Logger({ level: 'INFO', console: false, dataDir: dir });
    const file = join(dir, 'logs', localStamp(Date.now()).day, 'ims-sip-server.log');
    const log = logger.for('test');
    for (let i = 0; i < 1000; i++) log.info(`line ${i}`);
    // Nothing written on the caller's turn: the SIP path never waits for the disk.
    expect(existsSync(file)).toBe(false);
    logger.flush(); // hands the batch to an asynchronous append, does not wait for it
    log.info('after the flush');
    await logger.close();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1001);
    expect(lines[0]).toMatch(/\[INFO {4}\] \[test\] line 0$/);
    expect(lines[999]).toMatch(/line 999$/);
    expect(lines[1000]).toMatch(/after the flush$/);
  });

  it('writes the queued lines at process exit, to the file and the console', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-log-'));
    dirs.push(dir);
    const child = startNode([
      '--import',
      'tsx',
      join(import.meta.dirname, '..', 'observe', 'child', 'log-then-exit.ts'),
      dir,
    ]);
    expect(await child.exited).toBe(0);
    expect(child.output()).toMatch(/\[child\] the last words/);
    const file = join(dir, 'logs', localStamp(Date.now()).day, 'ims-sip-server.log');
    expect(readFileSync(file, 'utf8')).toMatch(/\[INFO {4}\] \[child\] the last words\n$/);
  });
});
