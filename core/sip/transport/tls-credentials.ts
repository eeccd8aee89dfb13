// Where the TLS and WSS listeners get their certificate: the files named by SIP.TLS_CERT / SIP.TLS_KEY
// (SIP_TLS_CERT, SIP_TLS_KEY), else <dataDir>/tls/cert.pem and key.pem, else a self-signed certificate
// for the advertised address generated now and kept there (so its fingerprint stays the same across
// restarts). A file that cannot be read or does not hold what it should stops the start, naming the
// setting (the caller turns that into exit code 2).
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { localStamp } from '../../observe/logger';
import { selfSignedCertificate } from './self-signed';
import type { TlsCredentials } from './tls';
import { canonicalIp } from './ip-text';

const pad2 = (n: number): string => String(n).padStart(2, '0');

export interface CredentialSources {
  dataDir: string;
  /** Paths from the settings ('' when not set), and the names to report a problem under. */
  cert: { path: string; setting: string };
  key: { path: string; setting: string };
  ca: { path: string; setting: string };
  /** Names for a generated certificate (the advertised address first). */
  names: readonly string[];
  /** The address phones are told to reach (SERVER_IP), when set: a kept certificate should name it. */
  advertised?: string;
  /** Now, for the certificate's validity (a test's clock). */
  now?: Date;
}

/** The certificate in force, as DSP SRVSTAT shows it (and the expiry watch reads it). */
export interface CertificateSummary {
  /** The file it was read from (or written to, when generated). */
  certFile: string;
  /** Where it came from: the configured files, the data folder, or generated just now. */
  origin: 'configured' | 'data folder' | 'generated';
  /** Its subject (CN=...) and subjectAltName (DNS:..., IP Address:...). */
  subject: string;
  names: string;
  /** SHA-256 fingerprint, AA:BB:... as openssl prints it. */
  fingerprint: string;
  /** notAfter, ms since the epoch. */
  notAfter: number;
  /** Issued by itself (no CA: phones must be given it, or not check). */
  selfSigned: boolean;
}

/** What DSP SRVSTAT shows of a certificate. */
function summary(
  x509: X509Certificate,
  certFile: string,
  origin: CertificateSummary['origin'],
): CertificateSummary {
  return {
    certFile,
    origin,
    subject: x509.subject.replace(/\n/g, ', '),
    names: readableNames(x509.subjectAltName ?? ''),
    fingerprint: x509.fingerprint256,
    notAfter: new Date(x509.validTo).getTime(),
    selfSigned: selfSigned(x509),
  };
}

/** Signed by its own key, as the one IMS Lab makes for a data folder (not a lab CA's). */
const selfSigned = (x509: X509Certificate): boolean =>
  x509.issuer === x509.subject && x509.verify(x509.publicKey);

/** The server's local date and time with its UTC offset ("2026-12-07 23:58:00 (UTC+01:00)"). */
export function localDateTime(t: number): string {
  const offset = -new Date(t).getTimezoneOffset();
  const abs = Math.abs(offset);
  const zone = `UTC${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  return `${localStamp(t).stamp.slice(0, 19)} (${zone})`;
}

export interface LoadedCredentials extends TlsCredentials {
  /** The certificate in force (DSP SRVSTAT). */
  certificate: CertificateSummary;
  fingerprint: string;
  /** Where they came from: the configured files, the data folder, or generated just now. */
  origin: 'configured' | 'data folder' | 'generated';
  certFile: string;
  /** What phones that check the certificate will refuse it for (expired, another address), for WARNINGs. */
  warnings: string[];
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

/**
 * subjectAltName as OpenSSL writes it, its IPv6 addresses in RFC 5952 form (§4): `IP Address:fd00::2`, not
 * `IP Address:FD00:0:0:0:0:0:0:2` (the form an operator then typed into DSP TRACE ADDRESS=).
 */
export function readableNames(names: string): string {
  return names.replace(
    /(IP Address:)([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)/g,
    (_m, tag: string, ip: string) => tag + canonicalIp(ip),
  );
}

/** What each TLS file setting names, for its messages. */
const TLS_FILES: Record<string, string> = {
  'SIP.TLS_CERT': 'certificate',
  'SIP.TLS_KEY': 'private key',
  'SIP.TLS_CA': 'CA certificate',
};

/** The TLS file settings' values as they would be after a SET CFG. */
export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

/**
 * SET CFG of a TLS file setting (used at the next start): the file must hold now what the start will
 * want of it (a certificate, an unencrypted private key matching the certificate set beside it), so that
 * the next start is not the first to find out (it stopped, and only hand-editing config.json brought the
 * appliance back); throws TlsCredentialError naming the setting. `files`: the values after the change.
 * A certificate set without its key (or the other way round) passes here: SET CFG refuses such a half pair
 * itself (mml/commands/tls-pair.ts), and sets the two in one command.
 */
export function checkTlsFileSetting(changed: string, given: TlsFiles, dataDir: string): void {
  const files = {
    cert: tlsFile(given.cert, dataDir),
    key: tlsFile(given.key, dataDir),
    ca: tlsFile(given.ca, dataDir),
  };
  const path =
    changed === 'SIP.TLS_CERT'
      ? files.cert
      : changed === 'SIP.TLS_KEY'
        ? files.key
        : changed === 'SIP.TLS_CA'
          ? files.ca
          : '';
  if (path === '') return;
  if (changed === 'SIP.TLS_CA') {
    caBundle(readPem(path, changed, TLS_FILES[changed]!), path, changed);
    return;
  }
  const x509 =
    files.cert === ''
      ? undefined
      : certificateOf(readPem(files.cert, 'SIP.TLS_CERT', 'certificate'), files.cert, 'SIP.TLS_CERT');
  const key =
    files.key === ''
      ? undefined
      : privateKeyOf(readPem(files.key, 'SIP.TLS_KEY', 'private key'), files.key, 'SIP.TLS_KEY');
  if (x509 === undefined || key === undefined) return;
  const other =
    changed === 'SIP.TLS_CERT'
      ? `the private key SIP.TLS_KEY names (${files.key})`
      : `the certificate SIP.TLS_CERT names (${files.cert})`;
  if (!x509.checkPrivateKey(key))
    throw new TlsCredentialError(
      changed,
      `${path} does not match ${other}; to change both, set them in one command: SET CFG KEY=SIP.TLS_CERT VALUE=<certificate file> TLS_KEY=<key file>`,
    );
  usableForTls(readFileSync(files.cert, 'utf8'), readFileSync(files.key, 'utf8'), changed);
}

/**
 * A TLS file setting's file: a relative path is read against the data folder (SET CFG keeps a file of
 * the data folder relative to it, so that the folder moves whole), else, as before, against the folder
 * the server was started from.
 */
export function tlsFile(path: string, dataDir: string): string {
  if (path === '' || isAbsolute(path)) return path;
  const inFolder = resolve(dataDir, path);
  return existsSync(inFolder) ? inFolder : path;
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

/** The first certificate of a PEM text (the server's own, the chain after it). */
function certificateOf(text: string, path: string, setting: string): X509Certificate {
  try {
    return new X509Certificate(text);
  } catch (err) {
    const key = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) ? `${path} holds a private key, ` : '';
    throw new TlsCredentialError(setting, `${key}not a valid certificate (${(err as Error).message})`);
  }
}

/**
 * The private key of a PEM text. One protected by a passphrase (PKCS #8 ENCRYPTED PRIVATE KEY, or a
 * traditional key with Proc-Type: 4,ENCRYPTED) is said to be so: OpenSSL's own words were "interrupted
 * or cancelled", and IMS Lab has no passphrase setting.
 */
function privateKeyOf(text: string, path: string, setting: string): KeyObject {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: *4, *ENCRYPTED/.test(text))
    throw new TlsCredentialError(
      setting,
      `${path} is a passphrase-protected (encrypted) private key, and IMS Lab has no passphrase setting: ` +
        `decrypt it (openssl pkey -in ${path} -out key-plain.pem) and name that file`,
    );
  try {
    return createPrivateKey(text);
  } catch (err) {
    throw new TlsCredentialError(setting, `not a valid private key (${(err as Error).message})`);
  }
}

const PEM_CERTIFICATE =
  /-----BEGIN (TRUSTED |X509 )?CERTIFICATE-----[^-]*-----END (TRUSTED |X509 )?CERTIFICATE-----/g;

/**
 * A CA bundle must hold a certificate: Node's TLS takes a bundle of none (a private key, a block whose
 * base64 is damaged) without a word, and then refuses every client certificate, the lab CA's too, as
 * "not signed by the CA bundle". Blocks that do not parse beside one that does are left to OpenSSL, as
 * they were. Returns the bundle's text.
 */
function caBundle(text: string, path: string, setting: string): string {
  for (const [block, trusted] of text.matchAll(PEM_CERTIFICATE)) {
    if (trusted !== undefined) return text; // TRUSTED or X509 CERTIFICATE: X509Certificate does not read them
    try {
      new X509Certificate(block);
      return text;
    } catch {
      // the next block, if any
    }
  }
  const key = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) ? ' (it holds a private key)' : '';
  throw new TlsCredentialError(setting, `no usable CA certificate in ${path}${key}`);
}

/** What the listeners will do with the pair (tls.createServer): a failure here stops them. */
function usableForTls(cert: string, key: string, setting: string): void {
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new TlsCredentialError(
      setting,
      `the certificate and key cannot serve TLS (${(err as Error).message})`,
    );
  }
}

function check(
  cert: string,
  key: string,
  certSetting: string,
  keySetting: string,
  certPath: string,
  keyPath: string,
): X509Certificate {
  const x509 = certificateOf(cert, certPath, certSetting);
  const privateKey = privateKeyOf(key, keyPath, keySetting);
  if (!x509.checkPrivateKey(privateKey))
    throw new TlsCredentialError(keySetting, 'the private key does not match the certificate');
  usableForTls(cert, key, keySetting);
  return x509;
}

/**
 * What a phone that checks the certificate will refuse it for, said at start rather than left to each
 * phone's TLS alert: its validity (RFC 5280 §4.1.2.5) and, when SERVER_IP is set, whether it names that
 * address (RFC 5922 §7.1: the name the phone connected to).
 */
function certificateWarnings(
  x509: X509Certificate,
  file: string,
  src: CredentialSources,
  origin: LoadedCredentials['origin'],
): string[] {
  const now = src.now ?? new Date();
  // The server's local date and time with its UTC offset: a certificate made at 23:58 read "not valid
  // before 2026-12-07" on 2026-12-07 (the day alone, and UTC's).
  const day = (d: string): string => localDateTime(new Date(d).getTime());
  const out: string[] = [];
  if (new Date(x509.validTo) < now)
    out.push(`${file}: the TLS certificate expired on ${day(x509.validTo)}; phones that check it refuse TLS`);
  else if (new Date(x509.validFrom) > now)
    out.push(
      `${file}: the TLS certificate is not valid before ${day(x509.validFrom)}; phones that check it refuse TLS`,
    );
  const addr = src.advertised;
  if (addr !== undefined && addr !== '') {
    const named = isIP(addr) ? x509.checkIP(addr) : x509.checkHost(addr);
    if (named === undefined)
      out.push(
        `${file}: the TLS certificate does not name the advertised address ${addr}; phones that check it refuse TLS` +
          // Only for one IMS Lab made (self-signed): a CA-signed one put there would be thrown away.
          (origin === 'data folder' && selfSigned(x509)
            ? ' (delete the tls folder beside it to have one made for this address)'
            : ''),
      );
  }
  return out;
}

/** The private key of the certificate made for a data folder without one (mode 0600). */
export const DATA_FOLDER_TLS_KEY = join('tls', 'key.pem');

export function loadTlsCredentials(given: CredentialSources): LoadedCredentials {
  const file = (f: { path: string; setting: string }): { path: string; setting: string } => ({
    ...f,
    path: tlsFile(f.path, given.dataDir),
  });
  const src = { ...given, cert: file(given.cert), key: file(given.key), ca: file(given.ca) };
  const ca =
    src.ca.path === ''
      ? undefined
      : caBundle(readPem(src.ca.path, src.ca.setting, 'CA certificate'), src.ca.path, src.ca.setting);
  if (src.cert.path !== '' || src.key.path !== '') {
    if (src.cert.path === '')
      throw new TlsCredentialError(src.cert.setting, `needed with ${src.key.setting}`);
    if (src.key.path === '') throw new TlsCredentialError(src.key.setting, `needed with ${src.cert.setting}`);
    const cert = readPem(src.cert.path, src.cert.setting, 'certificate');
    const key = readPem(src.key.path, src.key.setting, 'private key');
    const x509 = check(cert, key, src.cert.setting, src.key.setting, src.cert.path, src.key.path);
    const warnings = certificateWarnings(x509, src.cert.path, src, 'configured');
    return {
      cert,
      key,
      ca,
      certificate: summary(x509, src.cert.path, 'configured'),
      fingerprint: x509.fingerprint256,
      origin: 'configured',
      certFile: src.cert.path,
      warnings,
    };
  }
  const dir = join(src.dataDir, 'tls');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(src.dataDir, DATA_FOLDER_TLS_KEY);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readPem(certFile, certFile, 'certificate');
    const key = readPem(keyFile, keyFile, 'private key');
    const x509 = check(cert, key, certFile, keyFile, certFile, keyFile);
    const warnings = certificateWarnings(x509, certFile, src, 'data folder');
    return {
      cert,
      key,
      ca,
      certificate: summary(x509, certFile, 'data folder'),
      fingerprint: x509.fingerprint256,
      origin: 'data folder',
      certFile,
      warnings,
    };
  }
  const made = selfSignedCertificate(src.names);
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, made.key, { mode: 0o600 });
  writeFileSync(certFile, made.cert);
  return {
    cert: made.cert,
    key: made.key,
    ca,
    certificate: summary(new X509Certificate(made.cert), certFile, 'generated'),
    fingerprint: made.fingerprint,
    origin: 'generated',
    certFile,
    warnings: [],
  };
}
