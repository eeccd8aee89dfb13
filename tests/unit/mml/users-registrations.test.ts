// RMV USER and IMP USER remove the registrations of the users they remove or disable. At volume (20,000
// bindings) each did so by a scan of every AOR per user: 12 ms of event loop per RMV USER, and 20 s for an
// import that disabled 2,000 registered users, SIP unanswered meanwhile. They now ask the location
// service's index by user part. Here, on a real location service with thousands of bindings in every AOR
// form it may hold (canonical, other domains and ports, sips:, an upper-case scheme, no user part): the
// same bindings go as the scan took, and the whole table of AORs is never read.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { binding, openLab, run, useLabs } from './lab';
import type { Lab } from './lab';

useLabs();

const USERS = 2500;
const name = (i: number): string => ['', 'a.', 'b_', 'c+', 'd-'][i % 5]! + String(10_000 + i);

/** The user part as the scan read it before (a spec of the old rule, kept apart from the code). */
const scannedUser = (aor: string): string | undefined => /^sips?:([^@]+)@/i.exec(aor)?.[1];

/** Users 10000..12499 (every fifth with ., _, +, - in its name), ~5,800 bindings across the AOR forms. */
function labAtVolume(): Lab {
  const lab = openLab();
  const list = Array.from({ length: USERS }, (_, i) => ({ username: name(i), password: 'p' }));
  lab.users.importOriginal(JSON.stringify(list));
  for (let i = 0; i < USERS; i++) {
    const u = name(i);
    lab.location.put(binding(`sip:${u}@ims.lab`, `sip:${u}@192.0.2.10:${5000 + (i % 1000)}`));
    if (i % 2 === 0) lab.location.put(binding(`sip:${u}@ims.lab`, `sip:${u}@198.51.100.7:5070`));
    if (i % 3 === 0) lab.location.put(binding(`sip:${u}@127.0.0.1:5060`, `sip:${u}@192.0.2.11:5062`));
    if (i % 4 === 0) lab.location.put(binding(`sips:${u}@other.lab`, `sips:${u}@192.0.2.12:5061`));
    if (i % 7 === 0) lab.location.put(binding(`SIP:${u}@Ims.Lab`, `sip:${u}@192.0.2.13:5062`));
    // A name that starts with another's (10001 and 100010) is another user.
    if (i % 11 === 0) lab.location.put(binding(`sip:${u}0@ims.lab`, `sip:${u}0@192.0.2.14:5062`));
  }
  lab.location.put(binding('sip:ims.lab', 'sip:192.0.2.15:5062'));
  expect(lab.location.bindingCount).toBeGreaterThan(5000);
  return lab;
}

function bindingsLeft(lab: Lab): string[] {
  return [...lab.location.entries()].flatMap(([aor, list]) => list.map((b) => `${aor} ${b.contact}`)).sort();
}

/** What the scan of every AOR removed for these users: the bindings left and how many went. */
function scanWouldLeave(lab: Lab, gone: Set<string>): { left: string[]; removed: number } {
  const all = [...lab.location.entries()].flatMap(([aor, list]) => list.map((b) => ({ aor, b })));
  const removed = all.filter(({ aor }) => gone.has(scannedUser(aor) ?? '')).length;
  const left = all
    .filter(({ aor }) => !gone.has(scannedUser(aor) ?? ''))
    .map(({ aor, b }) => `${aor} ${b.contact}`);
  return { left: left.sort(), removed };
}

describe("removing a user's registrations among thousands of bindings", () => {
  it('RMV USER removes the bindings of its AORs in every form, and reads no other AOR', async () => {
    const lab = labAtVolume();
    const entries = vi.spyOn(lab.location, 'entries');
    const lookup = vi.spyOn(lab.location, 'lookup');
    for (const i of [0, 1, 3, 4, 77, 1001]) {
      const u = name(i);
      const expected = scanWouldLeave(lab, new Set([u]));
      entries.mockClear();
      lookup.mockClear();
      const r = await run(lab, `RMV USER USERNAME=${u} CONFIRM=YES`);
      expect(r.message).toBe(`User ${u} removed, with its ${expected.removed} registration(s)`);
      expect(entries).not.toHaveBeenCalled();
      expect(bindingsLeft(lab)).toEqual(expected.left);
      // Only the user's own AORs were looked at: sip:, 127.0.0.1:5060, sips:, SIP:Ims.Lab.
      const forms = 1 + Number(i % 3 === 0) + Number(i % 4 === 0) + Number(i % 7 === 0);
      expect(lookup).toHaveBeenCalledTimes(forms);
    }
    expect(lab.location.aorsOfUser(name(0))).toEqual([]);
    expect(lab.location.aorsOfUser(`${name(0)}0`)).toEqual([`sip:${name(0)}0@ims.lab`]);
    // A user with no registration: nothing read but its (empty) index entry.
    lab.users.add({ username: 'nobody', password: 'p' });
    entries.mockClear();
    lookup.mockClear();
    expect((await run(lab, 'RMV USER USERNAME=nobody CONFIRM=YES')).message).toBe('User nobody removed');
    expect(entries).not.toHaveBeenCalled();
    expect(lookup).not.toHaveBeenCalled();
  });

  it('IMP USER that disables 500 registered users removes what the scan did, persisted, without reading every AOR', async () => {
    const lab = labAtVolume();
    const disabled = Array.from({ length: 500 }, (_, k) => name(k * 5 + (k % 5)));
    const file: Record<string, unknown> = {};
    for (const [k, u] of disabled.entries())
      file[u] = { username: u, password: 'p', status: k % 2 === 0 ? 'INACTIVE' : 'SUSPENDED' };
    writeFileSync(join(lab.dir, 'off.json'), JSON.stringify(file));
    const expected = scanWouldLeave(lab, new Set(disabled));
    const causes = new Map<string, number>();
    lab.location.on((e) => {
      const c = e.type === 'removed' ? e.cause! : e.type;
      causes.set(c, (causes.get(c) ?? 0) + 1);
    });
    const entries = vi.spyOn(lab.location, 'entries');

    const r = await run(lab, 'IMP USER FILE=off.json MODE=UPSERT');
    expect(r.retcode).toBe(0);
    expect(r.message).toContain(
      `Note: ${expected.removed} registration(s) of users now INACTIVE or SUSPENDED removed`,
    );
    expect(entries).not.toHaveBeenCalled();
    expect(bindingsLeft(lab)).toEqual(expected.left);
    expect([...causes]).toEqual([['user-disabled', expected.removed]]);
    lab.location.flush();
    const stored = lab.bindings
      .loadAll()
      .map((b) => `${b.aor} ${b.contact}`)
      .sort();
    expect(stored).toEqual(expected.left);
  });
});
