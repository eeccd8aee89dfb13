// RFC 3327 against the built headless server, over real UDP sockets on 127.0.0.1: a socket playing a
// P-CSCF registers user 7001 (digest auth) with Path and Supported: path and gets its Path back in the
// 200 (§5.3); an INVITE from 7002 to 7001 then reaches the P-CSCF socket, with the Path on top of its
// Route set and the registered contact as its Request-URI (§5.4), never the UE's own socket. Path without
// Supported: path is refused 420 (§5.3's recommended policy); the path survives a restart of the server
// on the same data folder; a refresh without Path sends calls to the contact again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../core/sip/message/index';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, openUdp, type SipChannel } from '../../support/sip-client';
import { answer, nextRequest, sendAuthenticated } from '../proxy/raw-ua';

const UE = { username: '7001', password: 'pw-7001' };
const CALLER = { username: '7002', password: 'pw-7002' };

describe.skipIf(!HAS_BUILD)('Path (RFC 3327) through the built server', () => {
  let server: LabServer;
  /** The P-CSCF: it sends the REGISTER, and calls to the UE must come to it. */
  let pcscf: SipChannel;
  /** The UE behind the P-CSCF: its contact is registered, but calls must not come to it directly. */
  let ue: SipChannel;
  let pathValue: string;
  let contact: string;

  const target = (): { host: string; port: number } => ({ host: server.host, port: server.udpPort });

  /** 7002 calls 7001 (from a socket of its own); the INVITE as it reached `at`, where it is refused 486. */
  async function callReaching(at: SipChannel): Promise<SipRequest> {
    const caller = await openUdp(target());
    try {
      await sendAuthenticated(caller, CALLER, { method: 'INVITE', to: UE.username });
      const invite = await nextRequest(at, 5000);
      expect(invite.method).toBe('INVITE');
      at.send(answer(invite, 486, 'Busy Here'));
      expect((await nextRequest(at)).method).toBe('ACK'); // the proxy's, for the 486 (§17.1.1.3)
      return invite;
    } finally {
      await caller.close();
    }
  }

  /** The P-CSCF and the UE on the local ports they had (a restart keeps the registered addresses). */
  async function openPeers(ports: { pcscf: number; ue: number } = { pcscf: 0, ue: 0 }): Promise<void> {
    pcscf = await openUdp(target(), '127.0.0.1', ports.pcscf);
    ue = await openUdp(target(), '127.0.0.1', ports.ue);
  }

  beforeAll(async () => {
    server = await startLabServer({ users: [UE, CALLER] });
    await openPeers();
    pathValue = `<sip:pcscf@127.0.0.1:${pcscf.localPort};lr>`;
    contact = `sip:${UE.username}@127.0.0.1:${ue.localPort}`;
  });

  afterAll(async () => {
    try {
      await pcscf?.close();
      await ue?.close();
    } finally {
      if (server !== undefined) {
        expect(await server.stop()).toBe(0);
        removeDataDir(server.dataDir);
      }
    }
  });

  it('REGISTER with Path and Supported: path: 200 with the Path; an INVITE reaches the P-CSCF with it as Route', async () => {
    const ok = await new RegisteringUa(pcscf, UE).register([`<${contact}>`], 3600, {
      extra: ['Supported: path', `Path: ${pathValue}`],
    });
    expect(ok.status, ok.toString()).toBe(200);
    expect(ok.headerValues('path')).toEqual([pathValue]);
    // RFC 3608 §6.1, RFC 7315 §4.1: a route to us for the UE's own requests, and its public identity.
    expect(ok.headerValues('service-route')).toEqual([`<sip:127.0.0.1:${server.udpPort};lr>`]);
    expect(ok.headerValues('p-associated-uri')).toEqual([`<sip:${UE.username}@ims.lab>`]);

    const invite = await callReaching(pcscf);
    expect(invite.routes[0]?.raw).toBe(pathValue);
    expect(invite.uri).toBe(contact);
    expect(await ue.collect(300)).toEqual([]);
  });

  it('Path without Supported: path is refused 420 (Unsupported: path), before any challenge', async () => {
    const refused = await new RegisteringUa(pcscf, UE).send({
      contacts: [`<sip:${UE.username}-other@127.0.0.1:${ue.localPort}>`],
      expires: 3600,
      extra: [`Path: ${pathValue}`],
    });
    expect(refused.status, refused.toString()).toBe(420);
    expect(refused.header('unsupported')).toBe('path');
  });

  it('the path survives a restart on the same data folder', async () => {
    const ports = { pcscf: pcscf.localPort, ue: ue.localPort };
    const dataDir = server.dataDir;
    expect(await server.stop()).toBe(0);
    await pcscf.close();
    await ue.close();
    server = await startLabServer({ dataDir });
    expect(server.bindingsLoaded, server.child.output()).toBe(1);
    await openPeers(ports);
    const invite = await callReaching(pcscf);
    expect(invite.routes[0]?.raw).toBe(pathValue);
    expect(invite.uri).toBe(contact);
    expect(await ue.collect(300)).toEqual([]);
  });

  it('a refresh without Path clears it: the next INVITE goes to the contact, without Route', async () => {
    const ok = await new RegisteringUa(pcscf, UE).register([`<${contact}>`], 3600, {
      extra: ['Supported: path'],
    });
    expect(ok.status, ok.toString()).toBe(200);
    expect(ok.has('path')).toBe(false);
    const invite = await callReaching(ue);
    expect(invite.routes).toEqual([]);
    expect(invite.uri).toBe(contact);
  });
});
