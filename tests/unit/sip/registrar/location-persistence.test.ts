// The location service's write-behind (core/sip/registrar/location.ts): a batch that fails to save,
// on the loop (a throw) or in the store worker (a rejected promise), is logged, never thrown into the
// REGISTER that changed a binding; a binding that moves to another contact deletes its old row.
import { describe, expect, it } from 'vitest';
import type { Log } from '../../../../core/observe/log';
import { SILENT_LOG } from '../../../../core/observe/log';
import type { Binding, BindingPersistence } from '../../../../core/sip/registrar/binding';
import { LocationService } from '../../../../core/sip/registrar/location';
import { turnsDuring } from '../../../support/turns';

const NOW = 1_800_000_000_000;

function binding(contact: string): Binding {
  return {
    aor: 'sip:1001@ims.lab',
    contact,
    contactParams: '',
    expiresAt: NOW + 3_600_000,
    q: undefined,
    callId: 'c1@host',
    cseq: 1,
    sourceAddress: '192.0.2.1',
    sourcePort: 5060,
    transport: 'UDP',
    userAgent: 'test',
    createdAt: NOW,
    updatedAt: NOW,
  };
}

function service(apply: BindingPersistence['apply']): { location: LocationService; errors: string[] } {
  const errors: string[] = [];
  const log: Log = { ...SILENT_LOG, error: (m: string) => errors.push(m) };
  const location = new LocationService({
    persistence: { loadAll: () => [], apply, clear: () => undefined },
    log,
    now: () => NOW,
    flushMs: 3_600_000,
  });
  return { location, errors };
}

describe('LocationService persistence failures', () => {
  it('logs a batch the store refuses on the loop', () => {
    const { location, errors } = service(() => {
      throw new Error('database is locked');
    });
    location.put(binding('sip:1001@192.0.2.1'));
    expect(() => location.flush()).not.toThrow();
    expect(errors).toEqual(['location: saving 1 binding changes failed: Error: database is locked']);
    location.stop();
  });

  it('logs a batch the store worker fails, once its promise rejects', async () => {
    const { location, errors } = service(() => Promise.reject(new Error('disk I/O error')));
    location.put(binding('sip:1001@192.0.2.1'));
    location.put(binding('sip:1001@192.0.2.2'));
    location.flush();
    expect(errors).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['location: saving 2 binding changes failed: Error: disk I/O error']);
    location.stop();
  });

  it('a binding moved to a new contact (the same device, RFC 5626 §6) saves the new row and deletes the old', () => {
    const batches: [string[], string[]][] = [];
    const { location } = service((ups, dels) => {
      batches.push([ups.map((b) => b.contact), dels.map((d) => d.contact)]);
    });
    location.put(binding('sip:1001@192.0.2.1:5060'));
    location.flush();
    location.put(binding('sip:1001@192.0.2.1:41000'), 'sip:1001@192.0.2.1:5060');
    location.flush();
    // Moved back within one batch: the first contact saved again, the second deleted.
    location.put(binding('sip:1001@192.0.2.1:5070'), 'sip:1001@192.0.2.1:41000');
    location.put(binding('sip:1001@192.0.2.1:5060'), 'sip:1001@192.0.2.1:5070');
    location.flush();
    expect(batches).toEqual([
      [['sip:1001@192.0.2.1:5060'], []],
      [['sip:1001@192.0.2.1:41000'], ['sip:1001@192.0.2.1:5060']],
      [['sip:1001@192.0.2.1:5060'], ['sip:1001@192.0.2.1:41000', 'sip:1001@192.0.2.1:5070']],
    ]);
    expect(location.lookup('sip:1001@ims.lab').map((b) => b.contact)).toEqual(['sip:1001@192.0.2.1:5060']);
    location.stop();
  });

  it('a binding that expired while the appliance was down: its expiry is told at the time it expired', () => {
    const gone = { ...binding('sip:1001@192.0.2.9'), expiresAt: NOW - 2 * 86_400_000 };
    const kept = binding('sip:1001@192.0.2.1');
    const location = new LocationService({
      persistence: { loadAll: () => [gone, kept], apply: () => undefined, clear: () => undefined },
      log: SILENT_LOG,
      now: () => NOW,
      flushMs: 3_600_000,
    });
    const events: { type: string; at: number; contact: string }[] = [];
    location.on((e) => events.push({ type: e.type, at: e.at, contact: e.binding.contact }));
    location.load();
    expect(events).toEqual([{ type: 'expired', at: NOW - 2 * 86_400_000, contact: 'sip:1001@192.0.2.9' }]);
    expect(location.bindingCount).toBe(1);
    location.stop();
  });
});

describe('LocationService.rehome (SIP.DOMAIN changed)', () => {
  const at = (aor: string, contact: string, updatedAt: number): Binding => ({
    ...binding(contact),
    aor,
    updatedAt,
  });
  const canonical = (aor: string): string => aor.replace(/@.*$/, '@lab2.test');

  it('moves each binding to its new AOR, its old row deleted; a phone registered again keeps the later', async () => {
    const batches: [string[], string[]][] = [];
    const { location } = service((ups, dels) => {
      batches.push([ups.map((b) => `${b.aor} ${b.contact}`), dels.map((d) => `${d.aor} ${d.contact}`)]);
    });
    location.put(at('sip:1001@ims.lab', 'sip:1001@192.0.2.1', NOW));
    location.put(at('sip:1002@ims.lab', 'sip:1002@192.0.2.2', NOW - 1000));
    location.put(at('sip:1002@lab2.test', 'sip:1002@192.0.2.2', NOW)); // registered again since
    location.put(at('sip:1003@lab2.test', 'sip:1003@192.0.2.3', NOW));
    location.flush();
    batches.length = 0;

    expect(await location.rehome(canonical)).toBe(1);
    expect([...location.entries()].map(([aor, bs]) => [aor, bs.map((b) => b.updatedAt)]).sort()).toEqual([
      ['sip:1001@lab2.test', [NOW]],
      ['sip:1002@lab2.test', [NOW]],
      ['sip:1003@lab2.test', [NOW]],
    ]);
    expect(location.bindingCount).toBe(3);
    expect(location.lookup('sip:1001@ims.lab')).toEqual([]);
    location.flush();
    expect(batches).toEqual([
      [
        ['sip:1001@lab2.test sip:1001@192.0.2.1'],
        ['sip:1001@ims.lab sip:1001@192.0.2.1', 'sip:1002@ims.lab sip:1002@192.0.2.2'],
      ],
    ]);
    expect(await location.rehome(canonical)).toBe(0);
    location.stop();
  });

  /** 2,000 phones 100000.. registered under sip:<user>@ims.lab. */
  function many(): LocationService {
    const { location } = service(() => undefined);
    for (let i = 0; i < 2000; i++)
      location.put(at(`sip:${100000 + i}@ims.lab`, `sip:${100000 + i}@192.0.2.1:${5000 + i}`, NOW));
    return location;
  }

  // SET CFG SIP.DOMAIN with 20,000 bindings moved them all in one turn: SIP waited 0.1-0.5 s.
  it('moves 2,000 AORs a step at a time, the event loop running between, every one moved', async () => {
    const location = many();
    const { result: moved, turns } = await turnsDuring(() => location.rehome(canonical));
    expect(moved).toBe(2000);
    expect(turns).toBeGreaterThanOrEqual(3); // 500 AORs a step; 0 when all moved in one turn
    expect(location.aorCount).toBe(2000);
    expect(location.lookup('sip:101999@lab2.test').map((b) => b.contact)).toEqual([
      'sip:101999@192.0.2.1:6999',
    ]);
    expect(location.lookup('sip:101999@ims.lab')).toEqual([]);
    location.stop();
  });

  it('meanwhile a request for a phone not yet moved finds it under its new AOR', async () => {
    const location = many();
    const moving = location.rehome(canonical);
    await new Promise((r) => setImmediate(r)); // the first step done, the last AOR still under ims.lab
    expect(location.aorsOfUser('101999')).toEqual(['sip:101999@ims.lab']);
    expect(location.lookup('sip:101999@lab2.test').map((b) => b.aor)).toEqual(['sip:101999@lab2.test']);
    expect(location.aorsOfUser('101999')).toEqual(['sip:101999@lab2.test']);
    expect(await moving).toBe(1999); // that one moved by the lookup
    expect(location.bindingCount).toBe(2000);
    location.stop();
  });

  it('stops at the next step once the service is stopped', async () => {
    const location = many();
    const moving = location.rehome(canonical);
    location.stop();
    expect(await moving).toBe(500);
  });
});
