// RFC 3327 §5.3: a binding's path vector is stored with it (migration 6, bindings.path), in order, and
// read back on restart; a refresh without Path clears it.
import { describe, expect, it } from 'vitest';
import { SqliteBindingStore } from '../../../core/store/bindings';
import { closeDatabase } from '../../../core/store/database';
import { MIGRATIONS } from '../../../core/store/migrations';
import type { Binding } from '../../../core/store/types';
import { makeDataDir, open, useDataDirs } from './data-dir';

useDataDirs();

const PATH = ['<sip:pcscf.ims.lab:5070;lr>', '"Edge" <sip:sbc@192.0.2.9;lr;transport=tcp>;x=1'];

function binding(changes: Partial<Binding> = {}): Binding {
  return {
    aor: 'sip:1001@ims.lab',
    contact: 'sip:1001@10.0.0.7:5060',
    contactParams: '',
    expiresAt: 1_800_000_000_000,
    q: undefined,
    callId: 'call-1@host',
    cseq: 1,
    sourceAddress: '192.0.2.9',
    sourcePort: 5070,
    transport: 'UDP',
    userAgent: 'ue',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...changes,
  };
}

describe('SqliteBindingStore and Path (RFC 3327 §5.3)', () => {
  it('adds the path column in a migration of its own', () => {
    const db = open(makeDataDir());
    expect(MIGRATIONS.find((m) => m.name === 'bindings_path')?.version).toBe(6);
    const columns = db.prepare("SELECT name FROM pragma_table_info('bindings')").pluck().all();
    expect(columns).toContain('path');
  });

  it('keeps the path vector in order across a reopen', () => {
    const dir = makeDataDir();
    const db = open(dir);
    new SqliteBindingStore(db).apply([binding({ path: PATH })], []);
    closeDatabase(db);
    const [loaded] = new SqliteBindingStore(open(dir)).loadAll();
    expect(loaded?.path).toEqual(PATH);
  });

  it('a refresh without a path clears the stored one', () => {
    const store = new SqliteBindingStore(open(makeDataDir()));
    store.apply([binding({ path: PATH })], []);
    expect(store.loadAll()[0]?.path).toEqual(PATH);
    store.apply([binding({ cseq: 2 })], []);
    const [loaded] = store.loadAll();
    expect(loaded?.cseq).toBe(2);
    expect(loaded).not.toHaveProperty('path');
  });
});

describe('SqliteBindingStore and a NAT seen by its Via (RFC 3581 §4)', () => {
  it('keeps whether the REGISTER came from elsewhere than its Via said, and nothing for older rows', () => {
    const dir = makeDataDir();
    const db = open(dir);
    const store = new SqliteBindingStore(db);
    store.apply(
      [
        binding({ contact: 'sip:a@192.168.77.10', sentFromElsewhere: true }),
        binding({ contact: 'sip:b@192.168.1.20', sentFromElsewhere: false }),
        binding({ contact: 'sip:c@192.168.1.21' }),
      ],
      [],
    );
    closeDatabase(db);
    const loaded = new SqliteBindingStore(open(dir)).loadAll();
    const byContact = Object.fromEntries(loaded.map((b) => [b.contact, b.sentFromElsewhere]));
    expect(byContact).toEqual({
      'sip:a@192.168.77.10': true,
      'sip:b@192.168.1.20': false,
      'sip:c@192.168.1.21': undefined,
    });
  });
});
