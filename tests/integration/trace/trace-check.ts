// What the trace tests compare: the SIP messages tshark captured on loopback at the server's port, by
// Call-ID, against what the server's trace holds (DSP TRACE / DSP TRACE CALLID over the HTTP API), its
// pcap export (EXP TRACE) and the HEP packets it sent to a collector.
import { expect } from 'vitest';
import { runMml, type LabServer, type MmlAnswer } from '../../support/lab-server';
import { readPcap } from '../../support/tshark';

export const PASSWORD = 'trace-test-admin';

/** One SIP message as seen on the wire, from the server's point of view. */
export interface WireMessage {
  direction: 'IN' | 'OUT';
  remote: string;
  firstLine: string;
  callId: string;
}

const FIELDS = [
  'ip.src',
  'udp.srcport',
  'ip.dst',
  'udp.dstport',
  'sip.Request-Line',
  'sip.Status-Line',
  'sip.Call-ID',
];

function wire(rows: string[][], serverPort: number): WireMessage[] {
  return rows.map(([src, sport, dst, dport, req, status, callId]) => {
    const inbound = Number(dport) === serverPort;
    return {
      direction: inbound ? 'IN' : 'OUT',
      remote: inbound ? `${src}:${sport}` : `${dst}:${dport}`,
      firstLine: req || status || '',
      callId: callId ?? '',
    };
  });
}

/** The SIP messages to and from the server's UDP port in a capture file, in capture order. */
export function capturedAt(file: string, serverPort: number): WireMessage[] {
  return wire(readPcap(file, FIELDS, { filter: `sip && udp.port == ${serverPort}` }), serverPort);
}

/** The SIP messages carried by HEP packets to `hepPort` in a capture file, in capture order. */
export function hepAt(file: string, hepPort: number, serverPort: number): WireMessage[] {
  const rows = readPcap(
    file,
    [
      'hep3.src_ip',
      'hep3.src_port',
      'hep3.dst_ip',
      'hep3.dst_port',
      'sip.Request-Line',
      'sip.Status-Line',
      'sip.Call-ID',
    ],
    { filter: `sip && udp.dstport == ${hepPort}`, hepPort },
  );
  return wire(rows, serverPort);
}

export function byCallId(messages: WireMessage[]): Map<string, WireMessage[]> {
  const out = new Map<string, WireMessage[]>();
  for (const m of messages) out.set(m.callId, [...(out.get(m.callId) ?? []), m]);
  return out;
}

export async function mml(server: LabServer, text: string): Promise<MmlAnswer['results'][number]> {
  const answer = await runMml(server, PASSWORD, text);
  const r = answer.results[0]!;
  expect(r.retcode, `${text}\n${answer.text}`).toBe(0);
  return r;
}

/** The messages the trace holds for a Call-ID (DSP TRACE CALLID=...), and its ladder text. */
export async function traced(
  server: LabServer,
  callId: string,
): Promise<{ messages: WireMessage[]; ladder: string }> {
  const r = await mml(server, `DSP TRACE CALLID=${JSON.stringify(callId)}`);
  const [ladder, table] = r.tables;
  const col = (name: string): number => table!.columns.findIndex((c) => c.name === name);
  const messages = table!.rows.map((row) => ({
    direction: row[col('Direction')] as 'IN' | 'OUT',
    remote: String(row[col('Remote')]),
    firstLine: String(row[col('First line')]),
    callId,
  }));
  return { messages, ladder: ladder!.rows.map((r) => String(r[0])).join('\n') };
}

/** Every Call-ID the trace holds (DSP TRACE). */
export async function tracedCallIds(server: LabServer): Promise<string[]> {
  const r = await mml(server, 'DSP TRACE LIMIT=10000');
  const t = r.tables[0]!;
  const i = t.columns.findIndex((c) => c.name === 'Call-ID');
  return t.rows.map((row) => String(row[i]));
}

/**
 * The trace's order against the capture's. tshark sees a datagram when its sender sends it; the server
 * when it reads it from its socket, so a message that arrives while the server is busy (a phone's 180
 * and 200 back to back) is traced a little later than it was captured, never earlier. So: the same
 * messages; the messages sent in the same order; the messages received in the same order; and each
 * received message traced after at least as many sent ones as preceded it on the wire.
 */
export function expectSameOrder(trace: WireMessage[], onWire: WireMessage[], what: string): void {
  const key = (m: WireMessage): string => `${m.direction} ${m.remote} ${m.firstLine}`;
  expect(trace.map(key).sort(), what).toEqual(onWire.map(key).sort());
  for (const dir of ['IN', 'OUT'] as const)
    expect(trace.filter((m) => m.direction === dir).map(key), `${what}: ${dir}`).toEqual(
      onWire.filter((m) => m.direction === dir).map(key),
    );
  const sentBefore = (list: WireMessage[]): number[] => {
    let sent = 0;
    const out: number[] = [];
    for (const m of list) {
      if (m.direction === 'OUT') sent++;
      else out.push(sent);
    }
    return out;
  };
  const traced = sentBefore(trace);
  const wire = sentBefore(onWire);
  traced.forEach((n, i) =>
    expect(n, `${what}: received message ${i + 1} traced before it arrived`).toBeGreaterThanOrEqual(wire[i]!),
  );
}

/**
 * The whole comparison: the same Call-IDs, and for each the same messages (direction, peer, first line)
 * in the trace as in the capture, in the order expectSameOrder allows; the HEP packets and the pcap
 * export of `callId` hold the trace's messages in the trace's order, with the same addresses and ports.
 */
export async function expectTraceMatchesWire(
  server: LabServer,
  capture: string,
  hepPort: number,
  callId: string,
): Promise<void> {
  const onWire = byCallId(capturedAt(capture, server.udpPort));
  expect(onWire.get(callId)?.length ?? 0, 'the capture holds the call').toBeGreaterThan(3);
  const ids = await tracedCallIds(server);
  expect([...ids].sort()).toEqual([...onWire.keys()].sort());
  const hep = byCallId(hepAt(capture, hepPort, server.udpPort));
  for (const id of ids) {
    const { messages } = await traced(server, id);
    expectSameOrder(messages, onWire.get(id)!, `Call-ID ${id}`);
    // HEP: the collector got every message too, each once, as the trace holds them.
    expect(hep.get(id), `HEP of Call-ID ${id}`).toEqual(messages);
  }
  // EXP TRACE: the pcap file shows the trace's messages between the same addresses and ports.
  const exp = await mml(server, `EXP TRACE CALLID=${JSON.stringify(callId)} FORMAT=PCAP`);
  const file = String(exp.tables[0]!.rows[0]![0]);
  expect(capturedAt(file, server.udpPort)).toEqual((await traced(server, callId)).messages);
}
