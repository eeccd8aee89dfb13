// The account the dialer creates (DIALER.USERNAME 0000, password DIALER.PASSWORD, by default the original's
// well-known 0000) is INACTIVE while the dialer is stopped: STP DIALSVC, a failed STR DIALSVC and the
// appliance's start disable it (and remove any phone's registration of it); STR DIALSVC makes it ACTIVE
// again and says its password is DIALER.PASSWORD, still the default 0000, and how to change it. Before,
// it stayed ACTIVE after STP DIALSVC and anyone could register and call as 0000/0000. A user 0000 the
// operator made is the operator's: left as it is, and not described.
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { zhText } from '../../../core/mml/zh';
import { openUdp, RegisteringUa } from '../../support/sip-client';
import { freePort } from '../../support/sipp';
import { registerContact, targetOf } from '../proxy/parties';
import { openDialerLab, useDialerLab, type DialerLab } from './lab';

let lab: DialerLab;

const DIALER = { username: '0000', password: '0000' };
const status = (): string | undefined => lab.a.users.get('0000')?.status;

/** A phone's REGISTER as 0000/0000: its final status. */
async function phoneRegisters(): Promise<number> {
  const ch = await openUdp(targetOf(lab.server()));
  try {
    const ua = new RegisteringUa(ch, DIALER);
    return (await ua.register([`<sip:0000@127.0.0.1:${await freePort()}>`], 60)).status;
  } finally {
    await ch.close();
  }
}

describe("the dialer's own account", () => {
  useDialerLab((l) => (lab = l));

  it('is INACTIVE after STP DIALSVC (a phone cannot register as 0000/0000), ACTIVE again at STR DIALSVC', async () => {
    const started = await lab.mml('STR DIALSVC');
    expect(started.retcode, started.message).toBe(0);
    expect(started.message).toMatch(
      /; user 0000 was created for it \(DIALER\.USERNAME, DIALER\.PASSWORD\); its password is DIALER\.PASSWORD, still its default 0000 \(SET CFG KEY=DIALER\.PASSWORD VALUE=\.\.\., then STP DIALSVC and STR DIALSVC, changes it\); the account is INACTIVE while the dialer is stopped$/,
    );
    expect(zhText(started.message)).toMatch(
      /；其密码为 DIALER\.PASSWORD，仍是缺省值 0000（修改: .*）；外呼服务停止期间该账号为 INACTIVE$/,
    );
    expect(status()).toBe('ACTIVE');
    // A phone that registered as the dialer's account meanwhile loses its binding at the stop.
    await registerContact(lab.server(), DIALER, await freePort(), 300);
    expect(lab.a.location.aorsOfUser('0000')).not.toEqual([]);

    expect((await lab.mml('STP DIALSVC')).retcode).toBe(0);
    expect(status()).toBe('INACTIVE');
    expect(lab.a.location.aorsOfUser('0000')).toEqual([]);
    expect(await phoneRegisters()).toBe(403);

    expect((await lab.mml('SET CFG KEY=DIALER.PASSWORD VALUE=own-secret-9')).retcode).toBe(0);
    const again = await lab.mml('STR DIALSVC');
    expect(again.retcode, again.message).toBe(0);
    expect(status()).toBe('ACTIVE');
    // Not created this time, and no longer the default: its password is not said, how to change it is.
    expect(again.message).toMatch(
      /^Auto dialer started: 0000 registered from \S+; its password is DIALER\.PASSWORD \(SET CFG KEY=DIALER\.PASSWORD VALUE=\.\.\., then STP DIALSVC and STR DIALSVC, changes it\); the account is INACTIVE while the dialer is stopped$/,
    );
    expect(zhText(again.message)).toMatch(/注册；其密码为 DIALER\.PASSWORD（修改: /);
  });

  it('is INACTIVE after a STR DIALSVC that failed', async () => {
    const held = createSocket('udp4');
    await new Promise<void>((resolve) => held.bind(0, '127.0.0.1', resolve));
    try {
      const port = held.address().port;
      expect((await lab.mml(`SET CFG KEY=DIALER.LOCAL_PORT VALUE=${port}`)).retcode).toBe(0);
      const started = await lab.mml('STR DIALSVC');
      expect(started.retcode).not.toBe(0);
      // Named by its setting, not only by a bare EADDRINUSE.
      expect(started.message).toMatch(
        new RegExp(`cannot open the dialer's SIP port ${port} \\(DIALER\\.LOCAL_PORT\\): .*EADDRINUSE`),
      );
      expect(status()).toBe('INACTIVE');
    } finally {
      held.close();
    }
  });

  it("is the operator's when the operator made it: left ACTIVE after STP DIALSVC, its password not described", async () => {
    const added = await lab.mml('ADD USER USERNAME=0000 PASSWORD=0000');
    expect(added.retcode, added.message).toBe(0);
    const started = await lab.mml('STR DIALSVC');
    expect(started.retcode, started.message).toBe(0);
    expect(started.message).toMatch(/^Auto dialer started: 0000 registered from \S+$/);
    expect((await lab.mml('STP DIALSVC')).retcode).toBe(0);
    expect(status()).toBe('ACTIVE');
    expect(await phoneRegisters()).toBe(200);
  });
});

describe("the dialer's own account left ACTIVE in a data folder (an older IMS Lab)", () => {
  it('is made INACTIVE when the appliance starts', async () => {
    lab = await openDialerLab();
    try {
      expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
      expect((await lab.mml('STP DIALSVC')).retcode).toBe(0);
      lab.a.users.update('0000', { status: 'ACTIVE' }); // as an older IMS Lab left it
      await lab.close(true);
      lab = await openDialerLab(lab.dir);
      expect(status()).toBe('INACTIVE');
    } finally {
      await lab.close();
    }
  });
});
