// SIP over WebSocket (RFC 7118) against the built server, with a browser-like phone (ws-phone.ts: a
// `.invalid` Via and Contact, as JsSIP writes them) and SIPp phones on UDP:
//  - the upgrade must ask for the "sip" subprotocol (400 otherwise); a plain GET gets 426;
//  - a REGISTER over WSS binds with transport WSS; the phone calls a UDP phone (SIPp UAS) and gets its
//    200 (Record-Route doubled, the WSS entry with a flow token), ACK and BYE reach the UDP phone;
//  - a UDP phone (SIPp UAC) calls the WebSocket phone: INVITE, ACK and the BYE come down the
//    WebSocket although the Request-URI host is .invalid (binding, then flow token);
//  - closing the WebSocket ends the binding (CDR UNREGISTER, reason "Connection closed");
//  - with SIP_WS_ORIGINS set, an upgrade from another Origin is refused with 403.
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa } from '../../support/sip-client';
import { HAS_SIPP } from '../../support/sipp';
import { openWs } from '../../support/secure-channels';
import { cdrRows } from '../proxy/cdr-reader';
import { call, receivedRequests, startCallee, stopStrayCallees, user, users } from '../proxy/parties';
import { eventually, healthz, listenerPorts, type ListenerPorts } from './listeners';
import { WsPhone } from './ws-phone';

const ALICE = user(4701);
const BOB = user(4702);
const CAROL = user(4703);

describe.skipIf(!HAS_BUILD)('transports: SIP over WebSocket', () => {
  let server: LabServer;
  let ports: ListenerPorts;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4701, 3) });
    ports = await listenerPorts(server);
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (server !== undefined) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  const wss = (): { host: string; port: number } => ({ host: '127.0.0.1', port: ports.wss });

  it('refuses an upgrade without the "sip" subprotocol (400) and answers a plain GET with 426', async () => {
    expect(ports.ws).toBeGreaterThan(0);
    expect(ports.wss).toBeGreaterThan(0);
    await expect(openWs(wss(), true, { protocols: ['chat'] })).rejects.toThrow(/HTTP 400/);
    await expect(openWs({ host: '127.0.0.1', port: ports.ws }, false, { protocols: [] })).rejects.toThrow(
      /HTTP 400/,
    );
    const res = await fetch(`http://127.0.0.1:${ports.ws}/`, { signal: AbortSignal.timeout(5000) });
    expect(res.status).toBe(426);
    // "SIP" in capitals passes the check, so it is selected too, echoed as offered (a 101 without a
    // subprotocol made the client fail).
    const upper = await openWs({ host: '127.0.0.1', port: ports.ws }, false, { protocols: ['SIP'] });
    await upper.close();
    // The refusals are counted in /metrics and logged (once per address a minute).
    const metrics = await (await fetch(`${await consoleUrl(server)}/metrics`)).text();
    expect(metrics).toMatch(/^sip_connections_refused_total\{transport="WSS"\} 1$/m);
    expect(metrics).toMatch(/^sip_connections_refused_total\{transport="WS"\} 1$/m);
    await server.child.waitFor(/WSS upgrade refused from 127\.0\.0\.1: 400 Subprotocol sip Required/);
  });

  it('counts and logs a TLS handshake that fails on the WSS port, as on the TLS one', async () => {
    const tlsRefusals = async (): Promise<number> => {
      const metrics = await (await fetch(`${await consoleUrl(server)}/metrics`)).text();
      return Number(/^sip_connections_refused_total\{transport="TLS"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
    };
    const before = await tlsRefusals();
    await new Promise<void>((resolve) => {
      const s = connect(ports.wss, '127.0.0.1', () => s.end('not TLS\r\n\r\n'));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
    await eventually('the failed handshake counted', tlsRefusals, (n) => n === before + 1);
    await server.child.waitFor(/TLS handshake failed from 127\.0\.0\.1: /);
  });

  it.skipIf(!HAS_SIPP)(
    'a WSS phone registers and calls a UDP phone: 200 relayed, ACK and BYE along the route set',
    async () => {
      const ch = await openWs(wss(), true);
      try {
        const ua = new RegisteringUa(ch, ALICE);
        const phone = new WsPhone(ch, ALICE);
        const reg = await ua.register([`<${phone.contact}>`], 300, { viaSentBy: ch.localHost });
        expect(reg.status, reg.toString()).toBe(200);
        expect(await healthz(await consoleUrl(server))).toMatchObject({ bindingsByTransport: { WSS: 1 } });

        const callee = await startCallee(server, BOB, 'proxy_uas_answer.xml', { pauseMs: 100 });
        const dialog = await phone.call(`sip:${BOB.username}@127.0.0.1:${ports.udp}`);
        const rr = dialog.ok.recordRoutes.map((r) => r.raw);
        expect(rr[0]).toMatch(new RegExp(`^<sip:127\\.0\\.0\\.1:${ports.udp};lr;dlg=[0-9a-f]{16}>$`));
        expect(rr[1]).toMatch(
          new RegExp(`^<sip:127\\.0\\.0\\.1:${ports.wss};lr;transport=wss;dlg=[0-9a-f]{16};flow=`),
        );
        phone.inDialog('ACK', dialog.ok, 2, dialog);
        phone.inDialog('BYE', dialog.ok, 3, dialog);
        const bye = await phone.nextResponse();
        expect(`${bye.status} ${bye.cseq.method}`).toBe('200 BYE');
        const result = await callee.result;
        expect(result.code, result.describe()).toBe(0);
        const invite = receivedRequests(result).find((r) => r.method === 'INVITE')!;
        expect(invite.topVia.transport).toBe('UDP');
        const row = await eventually(
          'the CALL row',
          () =>
            cdrRows(server.dataDir).filter(
              (r) => r.record_type === 'CALL' && r.caller_number === ALICE.username,
            ),
          (rows) => rows.length >= 1,
        );
        // server_port: the listener the caller reached (the WSS one), here and on its REGISTER row.
        expect(row[0]).toMatchObject({
          call_state: 'ENDED',
          status_code: 200,
          transport: 'WSS/UDP',
          server_port: ports.wss,
        });
        const registered = cdrRows(server.dataDir).find(
          (r) => r.record_type === 'REGISTER' && r.caller_number === ALICE.username,
        );
        expect(registered).toMatchObject({ transport: 'WSS', server_port: ports.wss });
      } finally {
        await ch.close();
      }
    },
  );

  it.skipIf(!HAS_SIPP)(
    'a UDP phone calls the WebSocket phone: INVITE, ACK and BYE come down the WebSocket; closing it ends the binding',
    async () => {
      const ch = await openWs({ host: '127.0.0.1', port: ports.ws }, false);
      const phone = new WsPhone(ch, CAROL);
      const ua = new RegisteringUa(ch, CAROL);
      const reg = await ua.register([`<${phone.contact}>`], 300, { viaSentBy: ch.localHost });
      expect(reg.status, reg.toString()).toBe(200);

      const caller = call(server, 'proxy_uac_call.xml', BOB, CAROL.username, { pauseMs: 200 });
      const invite = await phone.nextRequest(8000);
      expect(invite.method).toBe('INVITE');
      expect(invite.uri).toBe(phone.contact); // retargeted to the .invalid Contact, sent down the socket
      expect(invite.topVia.transport).toBe('WS');
      expect(invite.topVia.port).toBe(ports.ws);
      phone.answer(invite, 200);
      const ack = await phone.nextRequest();
      expect(ack.method).toBe('ACK');
      const bye = await phone.nextRequest();
      expect(bye.method).toBe('BYE');
      expect(bye.uri).toBe(phone.contact);
      phone.answer(bye, 200);
      const result = await caller;
      expect(result.code, result.describe()).toBe(0);

      await ch.close();
      const status = await eventually(
        'the WS binding gone',
        async () => healthz(await consoleUrl(server)),
        (s) => (s.bindingsByTransport as Record<string, number>).WS === undefined,
      );
      expect(status.bindingsByTransport).not.toHaveProperty('WS');
      const rows = await eventually(
        'the unregistration row',
        () =>
          cdrRows(server.dataDir).filter(
            (r) =>
              r.record_type === 'REGISTER' &&
              r.call_state === 'UNREGISTERED' &&
              r.caller_number === CAROL.username,
          ),
        (r) => r.length >= 1,
      );
      expect(rows[0]).toMatchObject({
        call_state: 'UNREGISTERED',
        end_reason: 'Connection closed',
        transport: 'WS',
      });
    },
  );

  // Regression (fixed): a frame over SIP.MAX_MESSAGE_SIZE closed the connection (1009), and the
  // browser's registration with it; a CRLF ping got no pong (SIP.js's keep-alive waits for one).
  // A message up to the 2 MB frame limit gets its 513 too: one over 4 x SIP.MAX_MESSAGE_SIZE (262,140
  // bytes) closed the connection with 1009 (an OPTIONS with 20,000 ICE candidates, say).
  it('answers a message too large with 513 on the same connection, and a double-CRLF ping with a CRLF', async () => {
    const ch = await openWs({ host: '127.0.0.1', port: ports.ws }, false);
    try {
      ch.send(Buffer.from('\r\n\r\n'));
      expect((await ch.next()).toString()).toBe('\r\n');
      for (const size of [70_000, 1_000_000, 2_000_000]) {
        ch.send(bigMessage(size));
        expect((await ch.next()).toString(), `${size} bytes`).toMatch(/^SIP\/2\.0 513 /);
        ch.send(Buffer.from('\r\n\r\n'));
        expect((await ch.next()).toString()).toBe('\r\n'); // still open
      }
    } finally {
      await ch.close();
    }
  });

  it('closes a connection whose frame is over 2 MB with 1009', async () => {
    const ch = await openWs({ host: '127.0.0.1', port: ports.ws }, false);
    const code = new Promise<number>((resolve) => ch.socket.once('close', (c: number) => resolve(c)));
    ch.send(bigMessage(2 * 1024 * 1024 + 1));
    expect(await code).toBe(1009);
  });
});

/** A MESSAGE of `size` bytes or a little more (its body fills it). */
function bigMessage(size: number): Buffer {
  const body = 'x'.repeat(size);
  return Buffer.from(
    [
      'MESSAGE sip:4702@127.0.0.1 SIP/2.0',
      `Via: SIP/2.0/WS big.invalid;branch=z9hG4bK-big${size}`,
      'Max-Forwards: 70',
      'From: <sip:4701@127.0.0.1>;tag=b',
      'To: <sip:4702@127.0.0.1>',
      `Call-ID: big-${size}`,
      'CSeq: 1 MESSAGE',
      'Content-Type: text/plain',
      `Content-Length: ${body.length}`,
      '',
      body,
    ].join('\r\n'),
  );
}

describe.skipIf(!HAS_BUILD)('transports: WebSocket origin check', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({ env: { SIP_WS_ORIGINS: 'https://lab.example' } });
  });

  afterAll(async () => {
    if (server !== undefined) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  it('an upgrade from another origin gets 403; from the allowed one it opens', async () => {
    const { ws } = await listenerPorts(server);
    const target = { host: '127.0.0.1', port: ws };
    await expect(openWs(target, false, { origin: 'https://evil.example' })).rejects.toThrow(/HTTP 403/);
    const ch = await openWs(target, false, { origin: 'https://lab.example' });
    await ch.close();
  });
});
