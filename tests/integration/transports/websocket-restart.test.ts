// A restart ends the bindings whose connection closed with the previous run (RFC 7118 §5: the server
// cannot open a WebSocket to a browser's `.invalid` Contact; RFC 5626 §5.3: a flow that failed is
// registered again by its UA). Before, they were loaded ("3 bindings loaded"), listed, and a call to the
// browser got 500 (next hop unreachable) instead of 480. At SIGTERM the WebSocket gets a Close frame with
// 1001 (going away), as the console's do; before, it was dropped (1006 at the client).
import { afterAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, contactOf, openTcp, openUdp } from '../../support/sip-client';
import { openWs } from '../../support/secure-channels';
import { cdrRows } from '../proxy/cdr-reader';
import { user, users } from '../proxy/parties';
import { eventually, healthz, listenerPorts } from './listeners';
import { WsPhone } from './ws-phone';

const BROWSER = user(4721);
const FLOW = user(4722);
const DESK = user(4723);

describe.skipIf(!HAS_BUILD)('transports: WebSocket bindings across a restart', () => {
  let server: LabServer | undefined;

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('a WebSocket binding and a TCP flow end at the next start; the WebSocket got Close 1001 at SIGTERM', async () => {
    server = await startLabServer({ users: users(4721, 3) });
    const ports = await listenerPorts(server);
    const target = { host: '127.0.0.1', port: server.udpPort };

    const ws = await openWs({ host: '127.0.0.1', port: ports.ws }, false);
    const closeCode = new Promise<number>((resolve) =>
      ws.socket.once('close', (code: number) => resolve(code)),
    );
    const phone = new WsPhone(ws, BROWSER);
    const reg = await new RegisteringUa(ws, BROWSER).register([`<${phone.contact};ob>`], 600, {
      viaSentBy: ws.localHost,
    });
    expect(reg.status, reg.toString()).toBe(200);

    const tcp = await openTcp({ host: '127.0.0.1', port: server.tcpPort });
    const instance = '"<urn:uuid:00000000-0000-4000-8000-000000004722>"';
    const flow = await new RegisteringUa(tcp, FLOW).register(
      [`${contactOf(tcp, FLOW.username)};+sip.instance=${instance};reg-id=1`],
      600,
      { extra: ['Supported: outbound'] },
    );
    expect(flow.status, flow.toString()).toBe(200);
    expect(flow.header('require')).toMatch(/outbound/);

    const udp = await openUdp(target);
    try {
      const desk = await new RegisteringUa(udp, DESK).register([contactOf(udp, DESK.username)], 600);
      expect(desk.status, desk.toString()).toBe(200);
    } finally {
      await udp.close();
    }

    const dataDir = server.dataDir;
    expect(await server.stop()).toBe(0);
    expect(await closeCode).toBe(1001);
    await tcp.close();

    server = await startLabServer({ dataDir });
    expect(server.bindingsLoaded, server.child.output()).toBe(1);
    await server.child.waitFor(/2 binding\(s\) made over a WebSocket or an outbound flow .* removed/);
    const status = await healthz(await consoleUrl(server));
    expect(status.bindingsByTransport).toEqual({ UDP: 1 });
    // Recorded as when the connection closes: REGISTER UNREGISTERED, "Connection closed".
    const ended = await eventually(
      'the two UNREGISTERED rows',
      () => cdrRows(dataDir).filter((r) => r.record_type === 'REGISTER' && r.call_state === 'UNREGISTERED'),
      (rows) => rows.length >= 2,
    );
    expect(ended.map((r) => [r.caller_number, r.transport, r.end_reason]).sort()).toEqual([
      [BROWSER.username, 'WS', 'Connection closed'],
      [FLOW.username, 'TCP', 'Connection closed'],
    ]);
  });
});
