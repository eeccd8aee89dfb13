// Persistence of the location service (RFC 3261 §10.3). The registrar keeps the live bindings in memory
// and hands this store batches of changes off the per-message path (DESIGN.md, The event loop is
// sacred); a batch is one transaction of prepared statements, so 10,000 changes cost one commit. With a
// write-behind (the appliance's store worker) the batch is committed by the worker's thread instead, in
// the order of the batches; apply() then returns the promise of its commit.
import type { Database } from 'better-sqlite3';
import { packedRows, type WriteBehind } from './store-worker';
import type { Binding, BindingStore, Transport } from './types';

/** A bindings row, column by column (read raw: one object per binding instead of two). */
type BindingValues = [
  aor: string,
  contact: string,
  contactParams: string,
  expiresAt: number,
  q: number | null,
  callId: string,
  cseq: number,
  sourceAddress: string,
  sourcePort: number,
  transport: string,
  userAgent: string,
  createdAt: number,
  updatedAt: number,
  registeredAor: string | null,
  path: string | null,
  sentFromElsewhere: number | null,
];

const COLUMNS =
  'aor, contact, contact_params, expires_at, q, call_id, cseq, source_address, source_port, transport, ' +
  'user_agent, created_at, updated_at, registered_aor, path, sent_from_elsewhere';

const UPSERT = `INSERT INTO bindings (${COLUMNS})
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (aor, contact) DO UPDATE SET contact_params = excluded.contact_params,
    expires_at = excluded.expires_at, q = excluded.q, call_id = excluded.call_id, cseq = excluded.cseq,
    source_address = excluded.source_address, source_port = excluded.source_port,
    transport = excluded.transport, user_agent = excluded.user_agent, created_at = excluded.created_at,
    updated_at = excluded.updated_at, registered_aor = excluded.registered_aor, path = excluded.path,
    sent_from_elsewhere = excluded.sent_from_elsewhere`;
const DELETE = 'DELETE FROM bindings WHERE aor = ? AND contact = ?';

function values(b: Binding): BindingValues {
  return [
    b.aor,
    b.contact,
    b.contactParams,
    b.expiresAt,
    b.q ?? null,
    b.callId,
    b.cseq,
    b.sourceAddress,
    b.sourcePort,
    b.transport,
    b.userAgent,
    b.createdAt,
    b.updatedAt,
    b.registeredAorUnknown === true ? UNKNOWN : (b.registeredAor ?? null),
    b.path === undefined || b.path.length === 0 ? null : JSON.stringify(b.path),
    b.sentFromElsewhere === undefined ? null : b.sentFromElsewhere ? 1 : 0,
  ];
}

/** A stored path vector (RFC 3327 §5.3): a JSON array of strings; anything else counts as none. */
function pathOf(text: string | null): readonly string[] | undefined {
  if (text === null || text === '') return undefined;
  try {
    const list: unknown = JSON.parse(text);
    if (Array.isArray(list) && list.length > 0 && list.every((v) => typeof v === 'string')) return list;
  } catch {
    // a damaged value: the binding is kept without its path
  }
  return undefined;
}

/**
 * registered_aor of a binding whose AOR as registered is not known: one an IMS Lab before schema 4 stored
 * (migration 4 added the column, NULL for it), marked when that upgrade runs (markRegisteredAorUnknown).
 * NULL is the canonical AOR itself: the registrar keeps only one that differs. Older builds read '' as
 * NULL, as they read the row before.
 */
const UNKNOWN = '';

/** Marks the bindings stored before the AOR as registered was kept (at the upgrade from schema 3 or older). */
export function markRegisteredAorUnknown(db: Database): number {
  return db.prepare('UPDATE bindings SET registered_aor = ? WHERE registered_aor IS NULL').run(UNKNOWN)
    .changes;
}

function toBinding(row: BindingValues): Binding {
  const binding: Binding = {
    aor: row[0],
    contact: row[1],
    contactParams: row[2],
    expiresAt: row[3],
    q: row[4] ?? undefined,
    callId: row[5],
    cseq: row[6],
    sourceAddress: row[7],
    sourcePort: row[8],
    transport: row[9] as Transport,
    userAgent: row[10],
    createdAt: row[11],
    updatedAt: row[12],
    ...(row[13] === null || row[13] === UNKNOWN ? {} : { registeredAor: row[13] }),
  };
  if (row[13] === UNKNOWN) binding.registeredAorUnknown = true;
  const path = pathOf(row[14]);
  if (path !== undefined) binding.path = path;
  if (row[15] !== null) binding.sentFromElsewhere = row[15] === 1;
  return binding;
}

export class SqliteBindingStore implements BindingStore {
  readonly #all;
  readonly #upsert;
  readonly #delete;
  readonly #clear;
  readonly #applyTx;

  constructor(
    db: Database,
    private readonly writeBehind?: WriteBehind,
  ) {
    this.#all = db.prepare<[], BindingValues>(`SELECT ${COLUMNS} FROM bindings`).raw();
    // Positional parameters: cheaper to bind than named ones on a 10,000-row batch.
    this.#upsert = db.prepare<BindingValues>(UPSERT);
    this.#delete = db.prepare<[string, string]>(DELETE);
    this.#clear = db.prepare('DELETE FROM bindings');
    this.#applyTx = db.transaction(
      (upserts: readonly Binding[], deletions: readonly { aor: string; contact: string }[]) => {
        for (const b of upserts) this.#upsert.run(...values(b));
        for (const d of deletions) this.#delete.run(d.aor, d.contact);
      },
    );
  }

  loadAll(): Binding[] {
    const bindings: Binding[] = [];
    for (const row of this.#all.iterate()) bindings.push(toBinding(row));
    return bindings;
  }

  apply(
    upserts: readonly Binding[],
    deletions: readonly { aor: string; contact: string }[],
  ): void | Promise<void> {
    if (upserts.length === 0 && deletions.length === 0) return;
    if (this.writeBehind?.available() === true) {
      return this.writeBehind.write([
        { sql: UPSERT, rows: packedRows(upserts, values) },
        { sql: DELETE, rows: packedRows(deletions, (d) => [d.aor, d.contact]) },
      ]);
    }
    this.#applyTx.immediate(upserts, deletions);
  }

  clear(): void {
    this.#clear.run();
  }
}
