// The settings table (migration 1) as a small key-value store: what IMS Lab keeps across restarts that
// is no user setting (the last campaign id, which original CDR files were imported...).
import type { Database } from 'better-sqlite3';

export interface SettingsTable {
  get(key: string): string | undefined;
  put(key: string, value: string): void;
}

export function settingsTable(db: Database): SettingsTable {
  const get = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
  const put = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return { get: (key) => get.get(key), put: (key, value) => void put.run(key, value) };
}
