// How long the event loop stands still while EXP TRACE with filters writes its file: MESSAGES traced
// REGISTER/200 pairs (about 600 bytes each, the ring made large enough) exported to one pcap and one text
// file. A 1 ms timer measures the loop's longest stall (SIP waits that long). Bounded: fixed counts.
//
//   node --import tsx tests/bench/trace-export-stall.ts          MESSAGES=50000
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Settings } from '../../core/config/settings';
import { MessageTap } from '../../core/sip/transport/message-tap';
import { SipTrace, traceConfig } from '../../core/trace/index';
import { play, registration } from '../unit/trace/flow';
import { stallDuring } from './loop-stall';

const MESSAGES = Number(process.env.MESSAGES ?? 50_000);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ims-trace-export-'));
  const settings = new Settings();
  settings.set('TRACE.RING_MESSAGES', String(MESSAGES * 2));
  settings.set('TRACE.RING_MB', '1024');
  const tap = new MessageTap();
  const trace = new SipTrace(tap, dir, traceConfig(settings));
  const ids: string[] = [];
  for (let n = 0; n < MESSAGES / 2; n++) {
    play(tap, registration(100_000 + n, 400));
    ids.push(`reg-${100_000 + n}@127.0.0.1`);
  }
  for (const format of ['PCAP', 'TEXT'] as const) {
    const {
      result: r,
      ms,
      stallMs: worst,
    } = await stallDuring(() => trace.exportManyFile(ids, format, MESSAGES));
    process.stdout.write(
      `${format}: ${r.messages} messages of ${r.dialogs} dialogs in ${ms.toFixed(0)} ms; loop stalled at most ${worst.toFixed(0)} ms\n`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}

void main();
