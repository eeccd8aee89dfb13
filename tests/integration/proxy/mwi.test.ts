// Message waiting (RFC 3842) with real phones: baresip's mwi module subscribes to its own AOR's
// message-summary once registered. IMS Lab has no voicemail; it used to fork that SUBSCRIBE to every
// device of the user, the subscribing phone included (baresip's presence module answered 400 Bad
// Presence; baresip 1.0 once looped on it). Two baresip phones of one user, each with mwi and presence
// loaded as a desk phone has them: each subscription is answered by IMS Lab itself, 489 Bad Event
// (RFC 6665 §8.3.2), and no SUBSCRIBE goes out to either phone (the SIP trace says so).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { runMml } from '../../support/lab-server';
import { useBaresipLab } from './baresip-lab';
import { BaresipUa, BARESIP_MODULES, HAS_BARESIP } from './baresip-ua';
import { targetOf, user, users } from './parties';

const PHONE = user(4801);
const ADMIN_PASSWORD = 'mwi-test';
const HAS_MWI = ['mwi', 'presence'].every((m) => existsSync(join(BARESIP_MODULES, `${m}.so`)));

describe.skipIf(!HAS_BUILD || !HAS_BARESIP || !HAS_MWI)('message-summary SUBSCRIBE of real phones', () => {
  const lab = useBaresipLab('mwi', { users: users(4801, 1), env: { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD } }, 5);

  it("two phones of one user: each one's MWI SUBSCRIBE gets IMS Lab's 489, none is forked to a phone", async () => {
    for (const name of ['desk', 'soft']) {
      lab.phones.push(
        await BaresipUa.start({
          dir: join(lab.dir, name),
          ...{ user: PHONE.username, password: PHONE.password },
          server: targetOf(lab.server),
          domain: '127.0.0.1',
          wav: join(lab.dir, 'tone.wav'),
          modules: ['presence.so', 'mwi.so'],
        }),
      );
    }
    const all = (): string => lab.phones.map((p) => p.describe()).join('\n===\n');
    for (const phone of lab.phones) {
      const closed = await phone.printed(/mwi: subscription for \S+ closed: .*\)/, 8000);
      expect(closed[0], all()).toContain('489 Bad Event (no voicemail here: message-summary is not served)');
    }
    // The trace: one dialog per phone, SUBSCRIBE, 407, SUBSCRIBE, 489 and nothing else (forked to the
    // user's two phones, each would have held two more SUBSCRIBEs out and their answers).
    const trace = await runMml(lab.server, ADMIN_PASSWORD, 'DSP TRACE KIND=SUBSCRIPTION');
    const table = trace.results[0]!.tables[0]!;
    const col = (name: string): number => table.columns.findIndex((c) => c.name === name);
    expect(
      table.rows.map((r) => [r[col('First line')], r[col('Messages')], r[col('Final status')]]),
      trace.text,
    ).toEqual([
      [`SUBSCRIBE sip:${PHONE.username}@127.0.0.1 SIP/2.0`, 4, 489],
      [`SUBSCRIBE sip:${PHONE.username}@127.0.0.1 SIP/2.0`, 4, 489],
    ]);
  });
});
