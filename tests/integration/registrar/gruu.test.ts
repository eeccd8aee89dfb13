// GRUUs (RFC 5627) against the built headless server, over real UDP sockets on 127.0.0.1: a phone
// registers (digest) with Supported: gruu and an instance ID and gets a public and a temporary GRUU; an
// INVITE from another user to the temporary GRUU reaches that phone, at its registered contact, and
// still does after a restart of the server on the same data folder (the GRUU is sealed under a key
// derived from secret.key, and the binding is kept); a temporary GRUU with a byte changed is a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paramValue } from '../../../core/sip/message/scanner';
import type { SipResponse } from '../../../core/sip/message/index';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, contactOf, openUdp, parseResponse, type SipChannel } from '../../support/sip-client';
import { answer, nextRequest, sendAuthenticated } from '../proxy/raw-ua';

const UE = { username: '7401', password: 'pw-7401' };
const CALLER = { username: '7402', password: 'pw-7402' };
const INSTANCE = 'urn:uuid:7401aefb-9dd6-0095-a890-54633b5bb463';

/** The status of the first final response on `ch` (the 100 Trying skipped). */
async function finalAnswer(ch: SipChannel): Promise<number> {
  for (;;) {
    const status = parseResponse(await ch.next(5000)).status;
    if (status >= 200) return status;
  }
}

function gruuParam(ok: SipResponse, name: string): string {
  const v = paramValue(ok.contacts[0]!.params, name);
  if (typeof v !== 'string') throw new Error(`no ${name} in:\n${ok.toString()}`);
  return v.replace(/^"|"$/g, '');
}

describe.skipIf(!HAS_BUILD)('GRUUs (RFC 5627) on the built server', () => {
  let server: LabServer;
  let ue: SipChannel;
  let temp: string;

  const target = (): { host: string; port: number } => ({ host: server.host, port: server.udpPort });

  /** 7402 sends an INVITE to `uri`; returns the INVITE as the UE got it (refused 486), or the caller's answer. */
  async function inviteTo(uri: string): Promise<{ status: number; uri?: string }> {
    const caller = await openUdp(target());
    try {
      await sendAuthenticated(caller, CALLER, { method: 'INVITE', to: UE.username, uri });
      const final = finalAnswer(caller);
      const first = await Promise.race([
        nextRequest(ue, 5000).then((r) => ({ at: 'ue' as const, r })),
        final.then((status) => ({ at: 'caller' as const, status })),
      ]);
      if (first.at === 'caller') return { status: first.status };
      ue.send(answer(first.r, 486, 'Busy Here'));
      expect((await nextRequest(ue)).method).toBe('ACK');
      expect(await final).toBe(486); // relayed to the caller
      return { status: 0, uri: first.r.uri };
    } finally {
      await caller.close();
    }
  }

  beforeAll(async () => {
    server = await startLabServer({ users: [UE, CALLER] });
    ue = await openUdp(target());
  });

  afterAll(async () => {
    await ue?.close();
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('a phone with Supported: gruu and an instance ID gets both GRUUs; its temporary GRUU reaches it', async () => {
    const ok = await new RegisteringUa(ue, UE).register(
      [contactOf(ue, UE.username, `;+sip.instance="<${INSTANCE}>"`)],
      3600,
      { extra: ['Supported: gruu'] },
    );
    expect(ok.status, ok.toString()).toBe(200);
    expect(gruuParam(ok, 'pub-gruu')).toBe(`sip:${UE.username}@ims.lab;gr=${INSTANCE}`);
    temp = gruuParam(ok, 'temp-gruu');
    expect(temp).toMatch(/^sip:tgruu\.[\w-]+@ims\.lab;gr$/);
    expect(await inviteTo(temp)).toEqual({ status: 0, uri: `sip:${UE.username}@127.0.0.1:${ue.localPort}` });
  });

  it('the temporary GRUU still reaches the phone after a restart; an altered one is a 404', async () => {
    const port = ue.localPort;
    const dataDir = server.dataDir;
    expect(await server.stop()).toBe(0);
    await ue.close();
    server = await startLabServer({ dataDir });
    expect(server.bindingsLoaded, server.child.output()).toBe(1);
    ue = await openUdp(target(), '127.0.0.1', port);
    expect((await inviteTo(temp)).uri).toBe(`sip:${UE.username}@127.0.0.1:${port}`);
    const altered = temp.replace(/tgruu\.(.)/, (_, c: string) => `tgruu.${c === 'A' ? 'B' : 'A'}`);
    expect((await inviteTo(altered)).status).toBe(404);
    expect(await ue.collect(300)).toEqual([]);
  });
});
