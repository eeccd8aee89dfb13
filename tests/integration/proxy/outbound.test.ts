// SIP Outbound (RFC 5626) with a real phone: baresip with sipnat=outbound registers its flow (reg-id,
// +sip.instance, Supported: outbound), is told Require: outbound and Flow-Timer 2 (REG.FLOW_TIMER),
// and from then on sends STUN Binding requests to the SIP UDP port every 2 s or so (counted in
// sip_stun_keepalives_total; without Require: outbound it sends none), staying registered on its one
// REGISTER. A call from another baresip reaches it down its flow, and the ACK to its GRUU Contact too;
// DSP REG lists its device with flow 1. The STUN answer itself is checked with a raw client (baresip
// would take about 40 s of retransmissions to give up on a flow whose keep-alives get no answer). A flow
// over TCP ends with its connection (§5.3); an ordinary TCP registration outlives it (it is reached anew).
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, runMml, type LabServer } from '../../support/lab-server';
import { cdrRows } from './cdr-reader';
import { useBaresipLab } from './baresip-lab';
import { BaresipUa, HAS_BARESIP } from './baresip-ua';
import { targetOf, user, users } from './parties';
import { RegisteringUa, contactOf, openTcp } from '../../support/sip-client';

const CAROL = user(4911); // with outbound
const DAVE = user(4912); // calls her
const ADMIN_PASSWORD = 'outbound-test';
const DOMAIN = '127.0.0.1';

/** The REGISTER rows of a user, once there is at least one (rows are committed within ~200 ms). */
async function registered(server: LabServer, username: string): Promise<unknown[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const rows = cdrRows(server.dataDir).filter(
      (r) => r.record_type === 'REGISTER' && r.caller_number === username,
    );
    if (rows.length > 0 || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stunAnswered(server: LabServer): Promise<number> {
  const text = await (await fetch(`${await consoleUrl(server)}/metrics`)).text();
  return Number(/^sip_stun_keepalives_total (\d+)$/m.exec(text)?.[1] ?? NaN);
}

describe.skipIf(!HAS_BUILD || !HAS_BARESIP)('SIP Outbound with baresip (RFC 5626)', () => {
  const lab = useBaresipLab(
    'outbound',
    {
      users: users(4911, 4),
      config: { 'REG.FLOW_TIMER': 2 },
      env: { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD },
    },
    20,
  );

  it('registers a flow, keeps it alive with STUN, and is called down it', async () => {
    const start = (name: string, who: typeof CAROL, params: string): Promise<BaresipUa> =>
      BaresipUa.start({
        dir: join(lab.dir, name),
        ...{ user: who.username, password: who.password },
        server: targetOf(lab.server),
        domain: DOMAIN,
        accountParams: params,
        wav: join(lab.dir, 'tone.wav'),
      });
    const carol = await start('carol', CAROL, ';sipnat=outbound;answermode=auto');
    lab.phones.push(carol);
    expect(await registered(lab.server, CAROL.username), carol.describe()).toHaveLength(1);
    const before = await stunAnswered(lab.server);
    // Flow-Timer 2: a keep-alive every 1.6-2 s; 5 s of them, each answered, and no new REGISTER.
    await new Promise((r) => setTimeout(r, 5000));
    expect((await stunAnswered(lab.server)) - before, carol.describe()).toBeGreaterThanOrEqual(2);
    expect(await registered(lab.server, CAROL.username), carol.describe()).toHaveLength(1);

    const reg = await runMml(lab.server, ADMIN_PASSWORD, `DSP REG USERNAME=${CAROL.username}`);
    const devices = reg.results[0]!.tables.find((t) => t.title === 'Registration devices')!;
    const flow = devices.columns.findIndex((c) => c.name === 'Flow (reg-id)');
    expect(devices.rows.map((r) => r[flow])).toEqual(['1']);

    const dave = await start('dave', DAVE, '');
    lab.phones.push(dave);
    expect(await registered(lab.server, DAVE.username)).toHaveLength(1);
    expect((await dave.command('dial', `sip:${CAROL.username}@${DOMAIN}`)).ok).toBe(true);
    await carol.event('CALL_ESTABLISHED', 5000).catch((err: Error) => {
      throw new Error(`${err.message}\n${carol.describe()}\n${dave.describe()}`);
    });
    await dave.event('CALL_ESTABLISHED', 5000);
    expect((await dave.command('hangup')).ok).toBe(true);
    await carol.event('CALL_CLOSED', 5000);
  });

  it('a STUN Binding request on the SIP UDP port is answered with the address it came from', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      const request = Buffer.alloc(20);
      request.writeUInt16BE(0x0001, 0); // Binding request, no attributes
      request.writeUInt32BE(0x2112a442, 4);
      const tid = Buffer.from('0123456789abcdef01234567', 'hex');
      tid.copy(request, 8);
      const answer = new Promise<Buffer>((resolve, reject) => {
        socket.once('message', resolve);
        setTimeout(() => reject(new Error('no STUN answer within 2 s')), 2000).unref();
      });
      socket.send(request, lab.server.udpPort, '127.0.0.1');
      const r = await answer;
      expect(r.readUInt16BE(0)).toBe(0x0101);
      expect(r.subarray(8, 20)).toEqual(tid);
      expect(r.readUInt16BE(20)).toBe(0x0020); // XOR-MAPPED-ADDRESS
      const port = r.readUInt16BE(26) ^ 0x2112;
      const address = [...r.subarray(28, 32)].map((b, i) => b ^ [0x21, 0x12, 0xa4, 0x42][i]!).join('.');
      expect(`${address}:${port}`).toBe(`127.0.0.1:${socket.address().port}`);
    } finally {
      socket.close();
    }
  });

  it('§5.3: a flow over TCP ends with its connection; an ordinary TCP registration does not', async () => {
    const tcp = { host: lab.server.host, port: lab.server.tcpPort };
    const bindings = async (username: string): Promise<number> => {
      const r = (await runMml(lab.server, ADMIN_PASSWORD, `DSP REG USERNAME=${username}`)).results[0]!;
      return r.retcode === 0 ? r.tables[0]!.rows.length : 0;
    };
    const flowUser = user(4913);
    const plainUser = user(4914);
    const flow = await openTcp(tcp);
    const plain = await openTcp(tcp);
    const ok = await new RegisteringUa(flow, flowUser).register(
      [
        contactOf(
          flow,
          flowUser.username,
          ';reg-id=1;+sip.instance="<urn:uuid:0b6c4c1e-1d57-4f58-9b8e-3c7a2f1d9e01>"',
        ),
      ],
      600,
      { extra: ['Supported: outbound'] },
    );
    expect(ok.tokens('require')).toEqual(['outbound']);
    expect(
      (await new RegisteringUa(plain, plainUser).register([contactOf(plain, plainUser.username)], 600))
        .status,
    ).toBe(200);
    expect([await bindings(flowUser.username), await bindings(plainUser.username)]).toEqual([1, 1]);
    await flow.close();
    await plain.close();
    const deadline = Date.now() + 3000;
    while ((await bindings(flowUser.username)) > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect([await bindings(flowUser.username), await bindings(plainUser.username)]).toEqual([0, 1]);
  });
});
