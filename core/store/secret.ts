// Passwords at rest. IMS Lab never stores a password in clear (the original kept them in plain JSON,
// reference §12 bug 6), but a realm change must re-derive every HA1 (RFC 7616 §3.4.2: HA1 depends on
// the realm), so the password itself is kept encrypted: AES-256-GCM under a per-installation 32-byte
// key in <dataDir>/secret.key (mode 0600), created on first use. Sealed form: base64(iv | tag | ciphertext).
// The username is bound in as additional authenticated data, so a sealed password copied onto another
// user's row does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder } from './make-folder';

export const SECRET_KEY_FILE = 'secret.key';
const KEY_BYTES = 32;
const IV_BYTES = 12; // the GCM nonce size NIST SP 800-38D recommends
const TAG_BYTES = 16;

export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Why the key file cannot be read, in words an operator can act on (its absence is not a fault here). */
const READ_FAULTS: Readonly<Record<string, string>> = {
  EISDIR: 'it is a folder, not a file: put back the secret.key that was beside this database',
  EACCES: "this user may not read it (check the file's owner and permissions)",
  EPERM: "this user may not read it (check the file's owner and permissions)",
  EMFILE: 'too many open files: raise the limit of open files for IMS Lab (ulimit -n, LimitNOFILE=)',
  ENFILE: "the host's table of open files is full: close some programs, or raise fs.file-max",
};

function readKey(path: string): Buffer {
  let key: Buffer;
  try {
    key = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT') throw err;
    // A start that meets it stops naming the file (startup-fault.ts), not with a stack trace.
    throw new SecretError(`${path} cannot be read: ${READ_FAULTS[code] ?? (err as Error).message} (${code})`);
  }
  if (key.length !== KEY_BYTES) {
    throw new SecretError(`${path} holds ${key.length} bytes, expected a ${KEY_BYTES}-byte key`);
  }
  return key;
}

/**
 * Reads <dataDir>/secret.key, creating it (random, mode 0600) when it does not exist yet, unless
 * `sealedWithIt` says passwords sealed with it are stored: a new key would not open them (a folder copied
 * without it, a backup restored without it), so it is refused naming the file, which is put back instead.
 */
export function loadSecretKey(dataDir: string, sealedWithIt = false): Buffer {
  const path = join(dataDir, SECRET_KEY_FILE);
  try {
    return readKey(path);
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
  if (sealedWithIt)
    throw new SecretError(
      `${path} is missing, and the users' passwords stored in this database were encrypted with it: put back ` +
        `the ${SECRET_KEY_FILE} that was beside this database (a new one would not decrypt them)`,
    );
  makeFolder(dataDir, 0o700);
  try {
    // 'wx': if another process created it meanwhile, use theirs rather than overwrite it.
    writeFileSync(path, randomBytes(KEY_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readKey(path);
}

/** Encrypts and decrypts the passwords of one installation. */
export class PasswordCipher {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES)
      throw new SecretError(`the key must be ${KEY_BYTES} bytes, got ${key.length}`);
    this.#key = Buffer.from(key);
  }

  /** base64(iv | tag | ciphertext) of the password, bound to the username. */
  seal(password: string, username: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(username, 'utf8'));
    const body = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The password sealed for this username. Throws SecretError when the key or the username does not match. */
  open(sealed: string, username: string): string {
    const bytes = Buffer.from(sealed, 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES)
      throw new SecretError(`the stored password of ${username} is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(username, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretError(
        `cannot decrypt the stored password of ${username}: ${SECRET_KEY_FILE} does not match this database ` +
          `(was it replaced or lost?)`,
      );
    }
  }
}
