// DSP REG URI= and RMV REG URI= with the server's own address written another way: the registrar files
// To sip:1002@127.0.0.1 and sip:1005@127.0.0.1:44460 under the one canonical AOR (RFC 3261 §10.3 step 5)
// and routing reaches both by either form, localhost or a served domain, but the MML lookup compared
// the text as registered: sip:1002@127.0.0.1:44460 was RETCODE 5 "No registration" while calls to it
// reached the phone. Another port on our host still names only what is there (a contact).
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { DEFAULT_REGISTRAR, Registrar } from '../../../core/sip/registrar/registrar';
import { ServedDomains } from '../../../core/sip/registrar/served-domains';
import { binding, contactsFound as contacts, openLab, run, useLabs } from './lab';

useLabs();

/** A lab whose MML reads URIs as the appliance's registrar does, the server listening on 44460. */
function lab() {
  const l = openLab();
  const served = new ServedDomains({ domain: 'ims.lab', domains: [] }, ['192.0.2.1']);
  served.port = 44460;
  const registrar = new Registrar({ ...DEFAULT_REGISTRAR, served }, l.location, {} as never, {} as never);
  l.ctx.aorNamedBy = (uri) => registrar.aorNamedBy(uri);
  l.location.put({
    ...binding('sip:1002@ims.lab', 'sip:1002@127.0.0.1:44420'),
    registeredAor: 'sip:1002@127.0.0.1',
  });
  l.location.put({
    ...binding('sip:1005@ims.lab', 'sip:1005@127.0.0.1:44410'),
    registeredAor: 'sip:1005@127.0.0.1:44460',
  });
  return l;
}

describe('DSP REG / RMV REG URI= at the server under another of its names', () => {
  it('finds the phone by its own address with or without the port, localhost or the domain', async () => {
    const l = lab();
    for (const uri of [
      'sip:1002@127.0.0.1:44460',
      '1002@127.0.0.1:44460',
      'sip:1002@localhost',
      'sip:1002@192.0.2.1:44460',
      'sip:1002@IMS.lab',
    ]) {
      expect(await contacts(l, `DSP REG URI="${uri}"`), uri).toEqual(['sip:1002@127.0.0.1:44420']);
    }
    expect(await contacts(l, 'DSP REG URI=sip:1005@127.0.0.1')).toEqual(['sip:1005@127.0.0.1:44410']);
    // Another port on our host is another element there, not the AOR; another user is not this one.
    for (const uri of ['sip:1005@127.0.0.1:44499', 'sip:10055@127.0.0.1', 'sip:1005@198.51.100.7']) {
      expect((await run(l, `DSP REG URI=${uri}`)).retcode, uri).toBe(RETCODE.NOT_FOUND);
    }
  });

  it('RMV REG by another form removes that AOR only; a part naming several AORs is still refused', async () => {
    const l = lab();
    expect((await run(l, 'RMV REG URI=100 CONFIRM=YES')).retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(await run(l, 'RMV REG URI=sip:1002@127.0.0.1:44460 CONFIRM=YES')).toMatchObject({
      retcode: 0,
      message: 'Removed 1 registration(s) of sip:1002@ims.lab',
    });
    expect(l.location.lookup('sip:1002@ims.lab')).toEqual([]);
    expect(l.location.lookup('sip:1005@ims.lab')).toHaveLength(1);
  });
});
