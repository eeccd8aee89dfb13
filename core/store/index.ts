// The store layer: the contract (types.ts) and its SQLite implementation.
export * from './types';
export { closeDatabase, DATABASE_FILE, openDatabase } from './database';
export type { Database } from './database';
export { migrate, MigrationError, MIGRATIONS } from './migrations';
export type { Migration } from './migrations';
export { loadSecretKey, PasswordCipher, SECRET_KEY_FILE, SecretError } from './secret';
export { localIsoTime, parseLocalTime } from './local-time';
export { checkRealm, REALM_SETTING, SqliteUserStore } from './users';
export type { RealmAtStart, UserStoreOptions } from './users';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './user-listing';
export { SqliteBindingStore } from './bindings';
