// DSP SRVSTAT shows the TLS certificate in force: its file, subject, names, SHA-256 fingerprint, expiry
// and whether it is self-signed. Only the start's log line said which certificate served TLS and WSS, so
// a tester configuring a phone or pinning a fingerprint days later grepped old logs or ran openssl.
// In-process appliance on loopback (::1), its certificate generated in the data folder at the start. The
// status shows the IPv6 address told to IPv6 peers and the listen address (the start's log alone said them).
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
        ['SIP.HOST', '::1'],
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
    // IPv6 names in RFC 5952 form (§4), not OpenSSL's IP Address:0:0:0:0:0:0:0:1.
    // (The URL parser writes an IPv6 host in that form too: the expected names by another road.)
    const names = x509.subjectAltName!.replace(
      /IP Address:([0-9A-F]*:[0-9A-F:]*)/g,
      (_m, ip: string) => `IP Address:${new URL(`http://[${ip}]/`).hostname.slice(1, -1)}`,
    );
    expect(names).toContain('IP Address:::1');
    expect(names).not.toContain('0:0:0');
    expect(table!.rows).toEqual([
      [file, x509.subject, names, x509.fingerprint256, new Date(x509.validTo).getTime(), true],
    ]);
    // What IPv6 phones are told and where the listeners bind, beside the Server IP.
    const status = r!.tables[0]!;
    const cell = (name: string) => status.rows[0]![status.columns.findIndex((c) => c.name === name)];
    expect([cell('Server IP'), cell('Server IPv6'), cell('Listen address')]).toEqual(['::1', '::1', '::1']);
    const [zh] = await appliance.mml.execute('DSP SRVSTAT', 'test', { lang: 'zh' });
    expect(zh!.tables[1]!.title).toBe('TLS 证书');
  });
});
