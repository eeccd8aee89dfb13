// Bindings kept by the registrar, driven by SIPp and a raw UDP socket against the built headless server
// running with REG.MIN_EXPIRES 2 (config.json; the setting has no environment variable): expiry,
// unregistering one contact and all of them (Contact: *), 423 below the minimum, and several contacts
// for one address-of-record from one REGISTER and from several user agents, within REG.MAX_CONTACTS 4;
// malformed expiries taken as 3600 (§20.10, §20.19).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP, runSipp } from '../../support/sipp';
import { RegisteringUa, listedContacts, openUdp } from '../../support/sip-client';

const MIN_EXPIRES = 2;
const MAX_CONTACTS = 4;
const users = ['3001', '3002', '3003', '3004', '3005'].map((u) => ({ username: u, password: `pw-${u}` }));
const user = (name: string): { username: string; password: string } =>
  users.find((u) => u.username === name)!;

describe.skipIf(!HAS_BUILD || !HAS_SIPP)(`registrar bindings (REG.MIN_EXPIRES ${MIN_EXPIRES})`, () => {
  let server: LabServer;
  let target: { host: string; port: number };

  beforeAll(async () => {
    server = await startLabServer({
      users,
      config: { 'REG.MIN_EXPIRES': MIN_EXPIRES, 'REG.MAX_CONTACTS': MAX_CONTACTS },
    });
    target = { host: server.host, port: server.udpPort };
  });

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('a binding registered for 2 s is listed by a fetch, then gone by 3.5 s', async () => {
    // The location service expires bindings on a 1-second wheel: gone within a second after expiry.
    const r = await runSipp({
      scenario: 'register_expiry.xml',
      target,
      users: [user('3001')],
      keys: { expires: 2 },
      pauseMs: 3500,
    });
    expect(r.code, r.describe()).toBe(0);
    expect(r.responses.map((m) => m.status)).toEqual([401, 200, 401, 200, 401, 200]);
    const contact = `sip:3001@127.0.0.1:${r.localPort};transport=UDP`;
    const [bound, listed, gone] = [r.responses[1]!, r.responses[3]!, r.responses[5]!];
    expect(listedContacts(bound)).toEqual([{ uri: contact, expires: 2 }]);
    expect(listedContacts(listed)).toHaveLength(1);
    expect(listedContacts(listed)[0]!.uri).toBe(contact);
    expect(listedContacts(listed)[0]!.expires).toBeGreaterThanOrEqual(1);
    expect(listedContacts(listed)[0]!.expires).toBeLessThanOrEqual(2);
    expect(listedContacts(gone), gone.toString()).toEqual([]);
  });

  // RFC 3261 §10.3 step 8: the 200 enumerates the *current* bindings, even before the 1-second expiry
  // wheel has swept an expired one (a regression test: it used to be listed as ";expires=0").
  it('an expired binding is not listed any more, even before the expiry sweep runs', async () => {
    const ch = await openUdp(target);
    try {
      const ua = new RegisteringUa(ch, user('3005'));
      const contact = `sip:3005@127.0.0.1:${ch.localPort}`;
      const bound = await ua.register([`<${contact}>`], MIN_EXPIRES);
      const boundAt = Date.now();
      expect(listedContacts(bound)).toEqual([{ uri: contact, expires: MIN_EXPIRES }]);
      await new Promise((r) => setTimeout(r, MIN_EXPIRES * 1000 + 250 - (Date.now() - boundAt)));
      // Observed: [{ uri: contact, expires: 0 }] for about a second after the binding expired.
      expect(listedContacts(await ua.fetch())).toEqual([]);
    } finally {
      await ch.close();
    }
  });

  it('Contact ;expires=0 removes one binding, Contact: * with Expires: 0 removes all; * with Expires 60 or beside another Contact is 400', async () => {
    const r = await runSipp({ scenario: 'unregister.xml', target, users: [user('3002')] });
    expect(r.code, r.describe()).toBe(0);
    expect(r.responses.map((m) => m.status)).toEqual([401, 200, 401, 200, 401, 200, 401, 400, 401, 400]);
    const a = `sip:3002@127.0.0.1:${r.localPort};transport=UDP`;
    const b = `sip:3002-desk@127.0.0.1:${r.localPort};transport=UDP`;
    const byUri = (xs: { uri: string; expires: number | undefined }[]): typeof xs =>
      [...xs].sort((x, y) => x.uri.localeCompare(y.uri));
    // Two contacts in one header: A takes Expires, B its own parameter.
    expect(byUri(listedContacts(r.responses[1]!))).toEqual(
      byUri([
        { uri: a, expires: 3600 },
        { uri: b, expires: 1800 },
      ]),
    );
    expect(listedContacts(r.responses[3]!)).toEqual([{ uri: b, expires: 1800 }]);
    expect(listedContacts(r.responses[5]!)).toEqual([]);
    expect(r.responses[7]!.reasonText).toMatch(/Contact: \*/);
    expect(r.responses[9]!.reasonText).toMatch(/Contact: \*/);
  });

  it(`Expires: 1 gets 423 with Min-Expires: ${MIN_EXPIRES}; the retry with it gets 200`, async () => {
    const r = await runSipp({
      scenario: 'register_too_brief.xml',
      target,
      users: [user('3003')],
      keys: { expires: 1 },
    });
    expect(r.code, r.describe()).toBe(0);
    expect(r.responses.map((m) => m.status)).toEqual([401, 423, 401, 200]);
    expect(r.responses[1]!.headerValues('min-expires')).toEqual([String(MIN_EXPIRES)]);
    expect(listedContacts(r.responses[3]!)).toEqual([
      { uri: `sip:3003@127.0.0.1:${r.localPort};transport=UDP`, expires: MIN_EXPIRES },
    ]);
  });

  it('one AOR, several contacts: two SIPp UAs, then two Contact headers in one REGISTER; each 200 lists them all', async () => {
    const one = await runSipp({
      scenario: 'register_auth.xml',
      target,
      users: [user('3004')],
      keys: { expires: 600 },
    });
    expect(one.code, one.describe()).toBe(0);
    const two = await runSipp({
      scenario: 'register_auth.xml',
      target,
      users: [user('3004')],
      keys: { expires: 300 },
    });
    expect(two.code, two.describe()).toBe(0);
    expect(two.localPort).not.toBe(one.localPort);
    const sippContact = (port: number): string => `sip:3004@127.0.0.1:${port};transport=UDP`;
    const uris = (xs: { uri: string }[]): string[] => xs.map((x) => x.uri).sort();
    const second = listedContacts(two.responses[1]!);
    expect(uris(second)).toEqual([sippContact(one.localPort), sippContact(two.localPort)].sort());
    expect(second.find((c) => c.uri === sippContact(two.localPort))!.expires).toBe(300);
    expect(second.find((c) => c.uri === sippContact(one.localPort))!.expires).toBeGreaterThan(590);

    const ch = await openUdp(target);
    try {
      const ua = new RegisteringUa(ch, user('3004'));
      const phone = `sip:3004@127.0.0.1:${ch.localPort}`;
      const tablet = `sip:3004-tablet@127.0.0.1:${ch.localPort}`;
      const res = await ua.register([`<${phone}>`, `<${tablet}>;expires=120;q=0.5`], 900);
      expect(res.status, res.toString()).toBe(200);
      const all = listedContacts(res);
      expect(uris(all)).toEqual(
        [sippContact(one.localPort), sippContact(two.localPort), phone, tablet].sort(),
      );
      expect(all.find((c) => c.uri === phone)!.expires).toBe(900);
      expect(all.find((c) => c.uri === tablet)!.expires).toBe(120);
      // q is kept and listed; the contact without q (1.0) comes before it.
      const tabletHeader = res.contacts.find((c) => c.uriText === tablet)!;
      expect(tabletHeader.raw).toMatch(/;q=0\.5/);
      expect(res.contacts.at(-1)!.uriText).toBe(tablet);
      // A fetch from yet another Call-ID sees the same four.
      const fetched = await new RegisteringUa(ch, user('3004')).fetch();
      expect(uris(listedContacts(fetched))).toEqual(uris(all));
      // Clean up: Contact: * from the raw UA.
      const cleared = await ua.request({ contacts: ['*'], expires: 0 });
      expect(cleared.status).toBe(200);
      expect(cleared.contacts).toHaveLength(0);
    } finally {
      await ch.close();
    }
  });

  it('a malformed Expires or expires parameter counts as 3600 (§20.19, §20.10), not a 400', async () => {
    const ch = await openUdp(target);
    try {
      const ua = new RegisteringUa(ch, user('3001'));
      const phone = `sip:3001-malformed@127.0.0.1:${ch.localPort}`;
      const desk = `sip:3001-overlarge@127.0.0.1:${ch.localPort}`;
      const res = await ua.register([`<${phone}>`, `<${desk}>;expires=99999999999`], undefined, {
        extra: ['Expires: soon'],
      });
      expect(res.status, res.toString()).toBe(200);
      const listed = listedContacts(res).filter((c) => c.uri === phone || c.uri === desk);
      expect(listed.map((c) => c.expires)).toEqual([3600, 3600]);
      expect((await ua.request({ contacts: ['*'], expires: 0 })).status).toBe(200);
    } finally {
      await ch.close();
    }
  });

  it(`REG.MAX_CONTACTS ${MAX_CONTACTS} counts the bindings once the REGISTER applies; two Contact: * are a 400`, async () => {
    const ch = await openUdp(target);
    try {
      const ua = new RegisteringUa(ch, user('3005'));
      const contact = (n: number): string => `sip:3005-${n}@127.0.0.1:${ch.localPort}`;
      const full = await ua.register(
        [1, 2, 3, 4].map((n) => `<${contact(n)}>`),
        600,
      );
      expect(listedContacts(full)).toHaveLength(MAX_CONTACTS);
      // One removed and one added in the same request: still four, so accepted (§10.3 step 7).
      const swapped = await ua.register([`<${contact(1)}>;expires=0`, `<${contact(5)}>`], 600);
      expect(swapped.status, swapped.toString()).toBe(200);
      expect(
        listedContacts(swapped)
          .map((c) => c.uri)
          .sort(),
      ).toEqual([2, 3, 4, 5].map(contact).sort());
      const over = await ua.register([`<${contact(6)}>`], 600);
      expect(over.status).toBe(403);
      expect(over.reasonText).toMatch(/more than 4 contacts/);
      // §10.3 step 6: "*" alone; a second "*" field is as invalid as a URI beside it.
      const twoStars = await ua.request({ contacts: ['*', '*'], expires: 0 });
      expect(twoStars.status).toBe(400);
      expect(twoStars.reasonText).toMatch(/Contact: \*/);
      expect((await ua.request({ contacts: ['*'], expires: 0 })).status).toBe(200);
    } finally {
      await ch.close();
    }
  });
});
