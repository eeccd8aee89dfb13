// The location service's index of AORs by user part (location.ts aorsOfUser, registeredUsers), which RMV
// USER and IMP USER read instead of scanning every AOR: after any mix of the changes that add or empty an
// AOR (put, remove, removeAor, removeConnection, expiry, rehome after a SIP.DOMAIN change, clear), it
// names exactly the AORs a scan of every AOR finds for each user.
import { describe, expect, it } from 'vitest';
import { SILENT_LOG } from '../../../../core/observe/log';
import { userPartOf } from '../../../../core/sip/registrar/aor-user';
import type { Binding } from '../../../../core/sip/registrar/binding';
import { LocationService } from '../../../../core/sip/registrar/location';
import { TimerWheel } from '../../../../core/sip/transaction/timer-wheel';

const NOW = 1_800_000_000_000;

function binding(aor: string, contact: string, seconds: number, now: number): Binding {
  return {
    aor,
    contact,
    contactParams: '',
    expiresAt: now + seconds * 1000,
    q: undefined,
    callId: `c-${contact}`,
    cseq: 1,
    sourceAddress: '192.0.2.1',
    sourcePort: 5060 + (contact.length % 3),
    transport: 'UDP',
    userAgent: 'test',
    createdAt: now,
    updatedAt: now,
  };
}

/** What a scan of every AOR finds: user part → its AORs, sorted. */
function scanned(location: LocationService): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [aor] of location.entries()) {
    const user = userPartOf(aor);
    if (user !== undefined) out.set(user, [...(out.get(user) ?? []), aor].sort());
  }
  return out;
}

function indexed(location: LocationService): Map<string, string[]> {
  return new Map(location.registeredUsers().map((u) => [u, location.aorsOfUser(u).sort()]));
}

describe('LocationService index of AORs by user part', () => {
  it('stays what a scan finds through puts, removals, expiry, rehome and clear', async () => {
    const clock = { now: NOW };
    const now = (): number => clock.now;
    const wheel = new TimerWheel({ tickMs: 1000, slots: 3600, now, manual: true });
    const location = new LocationService({ log: SILENT_LOG, now, wheel });
    // mulberry32: a seeded generator whose low bits are random too (a plain LCG's cycle by 2, 4, ...).
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    let rehomed = 0;
    const domains = ['ims.lab', 'old.lab', '127.0.0.1:5060'];
    const aorOf = (): string => {
      const u = String(1000 + random(300));
      const form = random(6);
      return form === 0 ? `sips:${u}@ims.lab` : form === 1 ? 'sip:ims.lab' : `sip:${u}@${domains[random(3)]}`;
    };
    for (let step = 0; step < 6000; step++) {
      const op = random(100);
      if (op < 70) {
        const aor = aorOf();
        location.put(
          binding(aor, `sip:x@192.0.2.${random(4)}:${5060 + random(3)}`, 1 + random(120), clock.now),
        );
      } else if (op < 80) {
        const [aor, list] = [...location.entries()][random(Math.max(location.aorCount, 1))] ?? [];
        if (aor !== undefined) location.remove(aor, list![0]!.contact);
      } else if (op < 85) {
        location.removeAor(aorOf());
      } else if (op < 88) {
        location.removeConnection('UDP', '192.0.2.1', 5060 + random(3));
      } else if (op < 97) {
        clock.now += random(20) * 1000;
        wheel.advanceTo(clock.now);
      } else if (op < 99) {
        const domain = domains[random(3)]!;
        rehomed += await location.rehome((aor) => {
          const at = aor.lastIndexOf('@');
          return aor.startsWith('sip:') && at > 4 ? `sip:${aor.slice(4, at)}@${domain}` : aor;
        });
      } else {
        location.clear();
      }
      expect(indexed(location)).toEqual(scanned(location));
    }
    expect(location.aorCount).toBeGreaterThan(0);
    expect(rehomed).toBeGreaterThan(0);
    expect(indexed(location)).toEqual(scanned(location));
    expect(location.aorsOfUser('9999')).toEqual([]);
    location.stop();
  });
});
