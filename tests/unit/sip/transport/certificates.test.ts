// The TLS certificate: a generated self-signed one is a valid X.509 v3 certificate (checked by Node's
// X509Certificate and, when installed, by the openssl command), for the names asked, with its key; the
// credentials loader reuses what is in the data folder and names the setting at fault when a file
// cannot be used.
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../../core/sip/transport/self-signed';
import { loadTlsCredentials } from '../../../../core/sip/transport/tls-credentials';

const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'ims-cert-'));
  dirs.push(d);
  return d;
};

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sources = (dataDir: string, cert = '', key = '', ca = '') => ({
  dataDir,
  cert: { path: cert, setting: 'SIP_TLS_CERT' },
  key: { path: key, setting: 'SIP_TLS_KEY' },
  ca: { path: ca, setting: 'SIP_TLS_CA' },
  names: ['192.0.2.10', '::1', 'lab.example'],
});

describe('self-signed certificate', () => {
  it('is X.509 v3 for the names asked, signed by its own key, valid now', () => {
    const made = selfSignedCertificate(['192.0.2.10', '2001:db8::1', 'lab.example']);
    const x = new X509Certificate(made.cert);
    expect(x.subjectAltName).toBe('IP Address:192.0.2.10, IP Address:2001:DB8:0:0:0:0:0:1, DNS:lab.example');
    expect(x.checkPrivateKey(createPrivateKey(made.key))).toBe(true);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.ca).toBe(false);
    expect(new Date(x.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.now() + 365 * 86_400_000);
    expect(made.fingerprint).toBe(x.fingerprint256);
  });

  it.skipIf(!HAS_OPENSSL)('is accepted by openssl x509 and verifies against itself', () => {
    const d = tempDir();
    const file = join(d, 'cert.pem');
    writeFileSync(file, selfSignedCertificate(['127.0.0.1']).cert);
    const text = spawnSync('openssl', ['x509', '-in', file, '-noout', '-text'], { encoding: 'utf8' });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('Version: 3 (0x2)');
    expect(text.stdout).toContain('ecdsa-with-SHA256');
    const verify = spawnSync('openssl', ['verify', '-CAfile', file, file], { encoding: 'utf8' });
    expect(verify.stdout.trim(), verify.stderr).toBe(`${file}: OK`);
  });
});

describe('TLS credentials', () => {
  it('generates into <data>/tls on first use, then reuses the same certificate', () => {
    const d = tempDir();
    const first = loadTlsCredentials(sources(d));
    expect(first.origin).toBe('generated');
    expect(readFileSync(join(d, 'tls', 'cert.pem'), 'utf8')).toBe(first.cert);
    const again = loadTlsCredentials(sources(d));
    expect(again.origin).toBe('data folder');
    expect(again.fingerprint).toBe(first.fingerprint);
  });

  it('names the setting at fault: unreadable file, not a PEM, a key that does not match', () => {
    const d = tempDir();
    expect(() => loadTlsCredentials(sources(d, join(d, 'nope.pem'), join(d, 'k.pem')))).toThrow(
      /^SIP_TLS_CERT: cannot read the certificate file .*nope\.pem \(ENOENT\)$/,
    );
    expect(() => loadTlsCredentials(sources(d, join(d, 'c.pem')))).toThrow(
      /^SIP_TLS_KEY: needed with SIP_TLS_CERT/,
    );
    const a = selfSignedCertificate(['a']);
    const b = selfSignedCertificate(['b']);
    writeFileSync(join(d, 'a.crt'), a.cert);
    writeFileSync(join(d, 'b.key'), b.key);
    writeFileSync(join(d, 'junk'), 'hello');
    expect(() => loadTlsCredentials(sources(d, join(d, 'a.crt'), join(d, 'b.key')))).toThrow(
      /^SIP_TLS_KEY: the private key does not match the certificate$/,
    );
    expect(() => loadTlsCredentials(sources(d, join(d, 'junk'), join(d, 'b.key')))).toThrow(
      /^SIP_TLS_CERT: .*junk is not a PEM certificate$/,
    );
    expect(() => loadTlsCredentials(sources(d, '', '', join(d, 'missing-ca.pem')))).toThrow(
      /^SIP_TLS_CA: cannot read/,
    );
  });

  // Node's TLS took a bundle of no certificate without a word and then refused every client certificate,
  // the lab CA's too ("not signed by the CA bundle"); /etc/hostname (no PEM at all) stopped the start.
  it('stops at a CA bundle holding no usable certificate: a private key, damaged base64', () => {
    const d = tempDir();
    const a = selfSignedCertificate(['a']);
    writeFileSync(join(d, 'a.key'), a.key);
    writeFileSync(
      join(d, 'junk-ca.pem'),
      '-----BEGIN CERTIFICATE-----\nnotbase64\n-----END CERTIFICATE-----\n',
    );
    writeFileSync(join(d, 'ca.pem'), `${a.cert}`);
    expect(() => loadTlsCredentials(sources(d, '', '', join(d, 'a.key')))).toThrow(
      /^SIP_TLS_CA: no usable CA certificate in .*a\.key \(it holds a private key\)$/,
    );
    expect(() => loadTlsCredentials(sources(d, '', '', join(d, 'junk-ca.pem')))).toThrow(
      /^SIP_TLS_CA: no usable CA certificate in .*junk-ca\.pem$/,
    );
    expect(loadTlsCredentials(sources(d, '', '', join(d, 'ca.pem'))).ca).toBe(a.cert);
  });

  it('says a passphrase-protected key is one (OpenSSL said "interrupted or cancelled")', () => {
    const d = tempDir();
    const a = selfSignedCertificate(['a']);
    writeFileSync(join(d, 'a.crt'), a.cert);
    const pem = createPrivateKey(a.key).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'pw',
    }) as string;
    writeFileSync(join(d, 'enc.key'), pem);
    expect(() => loadTlsCredentials(sources(d, join(d, 'a.crt'), join(d, 'enc.key')))).toThrow(
      /^SIP_TLS_KEY: .*enc\.key is a passphrase-protected \(encrypted\) private key, and IMS Lab has no passphrase setting: decrypt it \(openssl pkey/,
    );
  });

  it('warns of a certificate phones will refuse: expired, not yet valid, or not naming SERVER_IP', () => {
    const d = tempDir();
    const put = (name: string, made: { cert: string; key: string }): [string, string] => {
      writeFileSync(join(d, `${name}.crt`), made.cert);
      writeFileSync(join(d, `${name}.key`), made.key);
      return [join(d, `${name}.crt`), join(d, `${name}.key`)];
    };
    const now = new Date('2026-12-06T12:00:00Z');
    const expired = put('old', selfSignedCertificate(['192.0.2.10'], 10, new Date('2025-11-01T00:00:00Z')));
    // Made a day before its date, as a generated one is (clocks a little behind).
    const early = put('early', selfSignedCertificate(['192.0.2.10'], 10, new Date('2027-01-01T00:00:00Z')));
    const good = put('good', selfSignedCertificate(['192.0.2.10', 'lab.example'], 365, now));
    const load = ([cert, key]: [string, string], advertised?: string): string[] =>
      loadTlsCredentials({ ...sources(d, cert, key), now, ...(advertised ? { advertised } : {}) }).warnings;
    // The moment on the server's clock, date, time and offset (the date alone read as a contradiction on
    // the day itself).
    const savedTz = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    try {
      expect(load(expired)).toEqual([
        `${expired[0]}: the TLS certificate expired on 2025-11-11 08:00:00 (UTC+08:00); phones that check it refuse TLS`,
      ]);
      expect(load(early)).toEqual([
        `${early[0]}: the TLS certificate is not valid before 2027-01-01 07:00:00 (UTC+08:00); phones that check it refuse TLS`,
      ]);
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
    expect(load(good, '192.0.2.10')).toEqual([]);
    expect(load(good, 'lab.example')).toEqual([]);
    expect(load(good, '198.51.100.7')).toEqual([
      `${good[0]}: the TLS certificate does not name the advertised address 198.51.100.7; phones that check it refuse TLS`,
    ]);
    // The data folder's certificate, made for another address: how to have a new one made.
    const folder = tempDir();
    loadTlsCredentials({ ...sources(folder), advertised: '192.0.2.10' });
    expect(loadTlsCredentials({ ...sources(folder), advertised: '203.0.113.9' }).warnings).toEqual([
      `${join(folder, 'tls', 'cert.pem')}: the TLS certificate does not name the advertised address 203.0.113.9; phones that check it refuse TLS (delete the tls folder beside it to have one made for this address)`,
    ]);
  });

  it.skipIf(!HAS_OPENSSL)(
    "a lab CA's certificate put in the data folder's tls/ is not to be deleted: no such advice",
    () => {
      const folder = tempDir();
      const tls = join(folder, 'tls');
      mkdirSync(tls);
      const sh = (...args: string[]): void => {
        const r = spawnSync('openssl', args, { cwd: tls, encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
      };
      sh(
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
        ...['-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Lab CA', '-days', '30'],
      );
      sh(
        ...['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
        ...['-keyout', 'key.pem', '-out', 'server.csr', '-subj', '/CN=lab.example'],
      );
      writeFileSync(join(tls, 'ext.cnf'), 'subjectAltName=IP:192.0.2.10\n');
      sh(
        ...['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'],
        ...['-out', 'cert.pem', '-days', '30', '-extfile', 'ext.cnf'],
      );
      expect(loadTlsCredentials({ ...sources(folder), advertised: '203.0.113.9' }).warnings).toEqual([
        `${join(tls, 'cert.pem')}: the TLS certificate does not name the advertised address 203.0.113.9; phones that check it refuse TLS`,
      ]);
    },
  );
});
