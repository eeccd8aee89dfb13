// Test support for the CDR: the test events (events.ts), a fixed time zone so that dates and times can be
// checked exactly, a Log that keeps its lines, and a small RFC 4180 reader to check the CSV files.
import { afterAll, beforeAll } from 'vitest';
import type { Log } from '../../../core/observe/log';
import { parseMessage, type SipRequest } from '../../../core/sip/message/index';
import { sipBytes } from '../../support/sip-text';
import type { CdrRecord } from '../../../core/cdr/record';

export * from './events';

/**
 * Formats local times in UTC+8 (no DST) for the calling test file, restoring the zone afterwards.
 * Call at the top level of the test file. Node re-reads TZ when process.env.TZ is assigned.
 */
export function useShanghaiTime(): void {
  const saved = process.env.TZ;
  process.env.TZ = 'Asia/Shanghai';
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
}

/**
 * Formats local times in `zone` (an IANA name) for the tests of the calling describe block, restoring
 * the zone after them: for the days a zone's clock changes (DST).
 */
export function useTimeZone(zone: string): void {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.TZ;
    process.env.TZ = zone;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
}

export interface KeptLog extends Log {
  lines: string[];
}

/** A Log that keeps "LEVEL text" lines. */
export function keptLog(): KeptLog {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`DEBUG ${m}`),
    info: (m) => lines.push(`INFO ${m}`),
    warning: (m) => lines.push(`WARNING ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
}

export { readCsv } from '../../support/csv';

/** Polls until check() is true, or fails after timeoutMs. */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - start;
}

/** A record with the record_id the store would give it (the n-th of 2026-11-24 00:38:05). */
export const numbered = (id: number, r: Omit<CdrRecord, 'record_id'>): CdrRecord => ({
  ...r,
  record_id: `20261124003805${String(id).padStart(6, '0')}`,
});

/**
 * The original's rows (§3.4), with the record_id left out. Where its sheet elides a part ("…"), the
 * part is what its rules give for this flow: e.g. FAILED and CANCELLED rows keep callee_ip/port (the
 * forward target at INVITE, §3.2) and server_ip/port (set at CALL start).
 */
export const ORIGINAL_ROWS: Record<string, string> = {
  register:
    'REGISTER,SUCCESS,2026-11-24,00:37:52,00:37:52,422098@127.0.0.1,sip:1001@127.0.0.1:15060,1001,127.0.0.1,5061,,,,,,,200,OK,,,,,,,,,sip:1001@127.0.0.1:5061,3600,,127.0.0.1,15060,2 REGISTER,',
  call: 'CALL,ENDED,2026-11-24,00:38:05,00:38:09,223961@127.0.0.1,<sip:1001@127.0.0.1:15060>;tag=578237,1001,127.0.0.1,5061,<sip:1002@127.0.0.1:15060>,1002,127.0.0.1,5062,3.0,0.50s,200,OK,Normal,00:38:05.727,,00:38:06.230,00:38:09.230,AUDIO,"PCMU, PCMA",,,,,127.0.0.1,15060,2 BYE,',
  failed:
    'CALL,FAILED,2026-11-24,00:38:31,00:38:32,871054@127.0.0.1,<sip:1001@127.0.0.1:15060>;tag=871054,1001,127.0.0.1,5061,<sip:1003@127.0.0.1:15060>,1003,127.0.0.1,5063,,,486,Busy Here,486 Busy Here,00:38:31.069,,,,AUDIO,"PCMU, PCMA",,,,,127.0.0.1,15060,1 INVITE,',
  cancelled:
    'CALL,CANCELLED,2026-11-24,00:38:36,00:38:38,914211@127.0.0.1,<sip:1001@127.0.0.1:15060>;tag=914211,1001,127.0.0.1,5061,<sip:1004@127.0.0.1:15060>,1004,127.0.0.1,5064,,,,,User Cancelled,00:38:36.914,,,,AUDIO,"PCMU, PCMA",,,,,127.0.0.1,15060,1 CANCEL,',
  message:
    'MESSAGE,COMPLETED,2026-11-24,00:38:45,00:38:45,595219@127.0.0.1-1 MESSAGE,<sip:1001@127.0.0.1:15060>;tag=5952,1001,127.0.0.1,5061,<sip:1002@127.0.0.1:15060>,1002,127.0.0.1,5062,,,200,OK,,,,,,,,,,,Hello 1002,127.0.0.1,15060,1 MESSAGE,',
  options:
    'OPTIONS,COMPLETED,2026-11-24,00:38:50,00:38:50,optping-1@127.0.0.1,<sip:1001@127.0.0.1:15060>;tag=opt1,1001,127.0.0.1,5061,<sip:127.0.0.1:15060>,,,,,,200,OK,,,,,,,,,,,,,,1 OPTIONS,',
  unregister:
    'REGISTER,UNREGISTERED,2026-11-24,00:39:02,00:39:02,422099@127.0.0.1,sip:1002@127.0.0.1:15060,1002,127.0.0.1,5062,,,,,,,200,OK,,,,,,,,,sip:1002@127.0.0.1:5062,,,,,2 REGISTER,',
};

/** A caller's BYE (1001 to 1002, from 10.0.0.5:5062) of the dialog `callId`, parsed. */
export function byeRequest(callId: string): SipRequest {
  return parseMessage(
    sipBytes([
      'BYE sip:1002@10.0.0.6:5064 SIP/2.0',
      'Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK-orphan',
      'From: <sip:1001@ims.lab>;tag=caller',
      'To: <sip:1002@ims.lab>;tag=callee',
      `Call-ID: ${callId}`,
      'CSeq: 2 BYE',
    ]),
  ) as SipRequest;
}
