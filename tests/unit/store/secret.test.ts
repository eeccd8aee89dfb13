import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKey, PasswordCipher, SECRET_KEY_FILE, SecretError } from '../../../core/store/secret';
import { makeDataDir, useDataDirs } from './data-dir';

useDataDirs();

describe('loadSecretKey', () => {
  it('creates a 32-byte key with mode 0600 on first use and reuses it', () => {
    const dir = join(makeDataDir(), 'fresh');
    const key = loadSecretKey(dir);
    const path = join(dir, SECRET_KEY_FILE);
    expect(key).toHaveLength(32);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path)).toEqual(key);
    expect(loadSecretKey(dir)).toEqual(key);
  });

  it('names the file it cannot read (a folder in its place gave a bare EISDIR stack trace)', () => {
    const dir = makeDataDir();
    mkdirSync(join(dir, SECRET_KEY_FILE));
    expect(() => loadSecretKey(dir)).toThrow(SecretError);
    expect(() => loadSecretKey(dir)).toThrow(
      `${join(dir, SECRET_KEY_FILE)} cannot be read: it is a folder, not a file: put back the secret.key that was beside this database (EISDIR)`,
    );
  });

  it('refuses a key file of the wrong size', () => {
    const dir = makeDataDir();
    writeFileSync(join(dir, SECRET_KEY_FILE), 'short');
    expect(() => loadSecretKey(dir)).toThrow(/holds 5 bytes, expected a 32-byte key/);
  });
});

describe('PasswordCipher', () => {
  const cipher = new PasswordCipher(Buffer.alloc(32, 7));

  it('round-trips a password, with a fresh IV each time', () => {
    const a = cipher.seal('pässwörd 密码', '1001');
    const b = cipher.seal('pässwörd 密码', '1001');
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64')).toHaveLength(12 + 16 + Buffer.byteLength('pässwörd 密码'));
    expect(cipher.open(a, '1001')).toBe('pässwörd 密码');
  });

  it('does not open with another key or for another user', () => {
    const sealed = cipher.seal('secret', '1001');
    expect(() => new PasswordCipher(Buffer.alloc(32, 8)).open(sealed, '1001')).toThrow(SecretError);
    expect(() => cipher.open(sealed, '1002')).toThrow(/cannot decrypt the stored password of 1002/);
    expect(() => cipher.open('AAAA', '1001')).toThrow(/truncated/);
  });

  it('needs a 32-byte key', () => {
    expect(() => new PasswordCipher(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
