// Where the TLS and WSS listeners get their certificate: the files named by SIP.TLS_CERT / SIP.TLS_KEY
// (SIP_TLS_CERT, SIP_TLS_KEY), else <dataDir>/tls/cert.pem and key.pem, else a self-signed certificate
// for the advertised address generated now and kept there (so its fingerprint stays the same across
// restarts). A file that cannot be read or does not hold what it should stops the start, naming the
// setting (the caller turns that into exit code 2).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selfSignedCertificate } from './self-signed';
import type { TlsCredentials } from './tls';

export interface CredentialSources {
  dataDir: string;
  /** Paths from the settings ('' when not set), and the names to report a problem under. */
  cert: { path: string; setting: string };
  key: { path: string; setting: string };
  ca: { path: string; setting: string };
  /** Names for a generated certificate (the advertised address first). */
  names: readonly string[];
}

export interface LoadedCredentials extends TlsCredentials {
  fingerprint: string;
  /** Where they came from: the configured files, the data folder, or generated just now. */
  origin: 'configured' | 'data folder' | 'generated';
  certFile: string;
}

/** A problem with a TLS setting: `setting` is the key or environment variable at fault. */
export class TlsCredentialError extends Error {
  constructor(
    readonly setting: string,
    /** What is wrong, without the setting's name. */
    readonly problem: string,
  ) {
    super(`${setting}: ${problem}`);
    this.name = 'TlsCredentialError';
  }
}

/** What each TLS file setting names, for its messages. */
const TLS_FILES: Record<string, string> = {
  'SIP.TLS_CERT': 'certificate',
  'SIP.TLS_KEY': 'private key',
  'SIP.TLS_CA': 'CA certificate',
};

/**
 * SET CFG of a TLS file setting (used at the next start): the file must be readable PEM now, so that
 * the next start is not the first to find out; throws TlsCredentialError naming the file.
 */
export function checkTlsFileSetting(key: string, path: string): void {
  const what = TLS_FILES[key];
  if (what !== undefined && path !== '') readPem(path, key, what);
}

function readPem(path: string, setting: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new TlsCredentialError(setting, `cannot read the ${what} file ${path} (${code})`);
  }
  if (!text.includes('-----BEGIN ')) throw new TlsCredentialError(setting, `${path} is not a PEM ${what}`);
  return text;
}

function check(cert: string, key: string, certSetting: string, keySetting: string): string {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new TlsCredentialError(certSetting, `not a valid certificate (${(err as Error).message})`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new TlsCredentialError(keySetting, `not a valid private key (${(err as Error).message})`);
  }
  if (!x509.checkPrivateKey(privateKey))
    throw new TlsCredentialError(keySetting, 'the private key does not match the certificate');
  return x509.fingerprint256;
}

/** The private key of the certificate made for a data folder without one (mode 0600). */
export const DATA_FOLDER_TLS_KEY = join('tls', 'key.pem');

export function loadTlsCredentials(src: CredentialSources): LoadedCredentials {
  const ca = src.ca.path === '' ? undefined : readPem(src.ca.path, src.ca.setting, 'CA certificate');
  if (src.cert.path !== '' || src.key.path !== '') {
    if (src.cert.path === '')
      throw new TlsCredentialError(src.cert.setting, `needed with ${src.key.setting}`);
    if (src.key.path === '') throw new TlsCredentialError(src.key.setting, `needed with ${src.cert.setting}`);
    const cert = readPem(src.cert.path, src.cert.setting, 'certificate');
    const key = readPem(src.key.path, src.key.setting, 'private key');
    const fingerprint = check(cert, key, src.cert.setting, src.key.setting);
    return { cert, key, ca, fingerprint, origin: 'configured', certFile: src.cert.path };
  }
  const dir = join(src.dataDir, 'tls');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(src.dataDir, DATA_FOLDER_TLS_KEY);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readPem(certFile, certFile, 'certificate');
    const key = readPem(keyFile, keyFile, 'private key');
    const fingerprint = check(cert, key, certFile, keyFile);
    return { cert, key, ca, fingerprint, origin: 'data folder', certFile };
  }
  const made = selfSignedCertificate(src.names);
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, made.key, { mode: 0o600 });
  writeFileSync(certFile, made.cert);
  return { cert: made.cert, key: made.key, ca, fingerprint: made.fingerprint, origin: 'generated', certFile };
}
