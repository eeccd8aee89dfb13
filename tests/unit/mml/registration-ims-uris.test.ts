// DSP REG URI= and RMV REG URI= take the URIs SIP routing takes for a registered user (target-set.ts):
// tel:+4930123 (RFC 3966, separators dropped), sip:%2B4930123@ims.lab (RFC 3261 §19.1.4 escapes),
// sip:+49-30-123@ims.lab;user=phone, and the public GRUU DSP REG itself prints (RFC 5627 §3.1), which
// names that device only. They were RETCODE 5 "No registration" while a MESSAGE to them reached the user.
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { binding, contactsFound as contacts, openLab, run, useLabs } from './lab';

useLabs();

const IMEI = 'urn:gsma:imei:35376800-002430-9';

function lab() {
  const l = openLab();
  l.location.put(binding('sip:+4930123@ims.lab', 'sip:+4930123@192.0.2.30:5060'));
  l.location.put({
    ...binding('sip:1003@ims.lab', 'sip:1003@192.0.2.31:5060'),
    contactParams: `;+sip.instance="<${IMEI}>"`,
  });
  l.location.put(binding('sip:1003@ims.lab', 'sip:1003@192.0.2.32:5060'));
  return l;
}

describe('DSP REG URI= with the forms routing takes', () => {
  it('tel:, an escaped user, user=phone with separators: the user of that number', async () => {
    const l = lab();
    for (const uri of [
      'tel:+4930123',
      'tel:+49-30-123;phone-context=ims.lab',
      'sip:%2B4930123@ims.lab',
      'sip:+49-30-123@ims.lab;user=phone',
    ]) {
      expect(await contacts(l, `DSP REG: URI="${uri}";`)).toEqual(['sip:+4930123@192.0.2.30:5060']);
    }
    // Still a user's own: another number, another host or port, and no user=phone (so no separators).
    for (const uri of ['tel:+4930124', 'sip:%2B4930123@other.lab', 'sip:+49-30-123@ims.lab']) {
      expect((await run(l, `DSP REG: URI="${uri}";`)).retcode, uri).toBe(RETCODE.NOT_FOUND);
    }
  });

  it('the public GRUU DSP REG prints: that device only, and RMV REG by it removes it alone', async () => {
    const l = lab();
    const gruu = (await run(l, 'DSP REG: USERNAME=1003;')).tables[1]!.rows[0]![4] as string;
    expect(gruu).toBe(`sip:1003@ims.lab;gr=${IMEI}`);
    expect(await contacts(l, `DSP REG: URI="${gruu}";`)).toEqual(['sip:1003@192.0.2.31:5060']);
    expect((await run(l, `RMV REG: URI="${gruu}", CONFIRM=YES;`)).retcode).toBe(0);
    expect(l.location.lookup('sip:1003@ims.lab').map((b) => b.contact)).toEqual(['sip:1003@192.0.2.32:5060']);
  });
});
