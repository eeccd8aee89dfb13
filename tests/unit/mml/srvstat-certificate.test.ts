// DSP SRVSTAT shows the TLS certificate in force: its file, subject, names, SHA-256 fingerprint, expiry
// and whether it is self-signed. Only the start's log line said which certificate served TLS and WSS, so
// a tester configuring a phone or pinning a fingerprint days later grepped old logs or ran openssl.
// In-process appliance on loopback, its certificate generated in the data folder at the start.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';

let appliance: Appliance | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await appliance?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  appliance = dataDir = undefined;
});

describe('DSP SRVSTAT', () => {
  it('shows the TLS certificate: file, subject, names, SHA-256 fingerprint, not after, self-signed', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ims-srvstat-cert-'));
    appliance = new Appliance({
      dataDir,
      console: false,
      settings: new Settings([
        ['SIP.HOST', '127.0.0.1'],
        ['SIP.PORT', 0],
        ['SIP.TCP', false],
        ['SIP.WS_PORT', 0],
        ['SIP.WARMUP_CALLS', 0],
      ]),
    });
    await appliance.start();
    const file = join(dataDir, 'tls', 'cert.pem');
    const x509 = new X509Certificate(readFileSync(file));
    const [r] = await appliance.mml.execute('DSP SRVSTAT', 'test');
    const table = r!.tables.find((t) => t.title === 'TLS certificate');
    expect(table?.columns.map((c) => c.name)).toEqual([
      'File',
      'Subject',
      'Names',
      'SHA-256 fingerprint',
      'Not after',
      'Self-signed',
    ]);
    expect(table!.rows).toEqual([
      [file, x509.subject, x509.subjectAltName, x509.fingerprint256, new Date(x509.validTo).getTime(), true],
    ]);
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    const [zh] = await appliance.mml.execute('DSP SRVSTAT', 'test', { lang: 'zh' });
    expect(zh!.tables[1]!.title).toBe('TLS 证书');
  });
});
