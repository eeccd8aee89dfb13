// SET CFG of a setting that names a file, over a real (not started) appliance: the file is checked when
// it is set, not when it is first used (every dialer call failing, or the next start stopping). A prompt
// outside the data folder or missing, or a TLS file that is not readable PEM, is refused naming the
// setting and the file, and the setting keeps its value; a good one is taken. A TLS file is checked as
// the next start will use it: a certificate, an unencrypted key matching the certificate beside it, a
// CA bundle holding a certificate (those the start refused were taken, and it did not come back).
import { createPrivateKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { loadSettings, Settings } from '../../../core/config/settings';
import { RETCODE } from '../../../core/mml/command';
import { zhText } from '../../../core/mml/zh';
import { encodeWav } from '../../../core/media/wav';
import { selfSignedCertificate } from '../../../core/sip/transport/self-signed';

let dataDir: string;
let appliance: Appliance;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ims-file-settings-'));
  appliance = new Appliance({ dataDir, console: false, settings: new Settings([['LOG.LEVEL', 'INFO']]) });
});

afterEach(async () => {
  await appliance.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const run = async (text: string) => (await appliance.mml.execute(text, 'test'))[0]!;

describe('SET CFG of a file setting', () => {
  it('DIALER.MEDIA_FILE: outside the data folder or missing is refused; a prompt in media/ is taken', async () => {
    for (const [value, problem] of [
      ['/etc/passwd', /outside the data folder/],
      ['media/nothere.wav', /no such file/],
    ] as const) {
      const r = await run(`SET CFG KEY=DIALER.MEDIA_FILE VALUE="${value}"`);
      expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
      expect(r.message).toMatch(/^Parameter VALUE: DIALER\.MEDIA_FILE cannot be applied: /);
      expect(r.message).toMatch(problem);
      expect(appliance.settings.str('DIALER.MEDIA_FILE')).toBe('media/default.wav');
    }
    mkdirSync(join(dataDir, 'media'));
    writeFileSync(join(dataDir, 'media', 'hello.wav'), encodeWav(new Int16Array(800)));
    expect((await run('SET CFG KEY=DIALER.MEDIA_FILE VALUE=media/hello.wav')).retcode).toBe(RETCODE.OK);
    expect(appliance.settings.str('DIALER.MEDIA_FILE')).toBe('media/hello.wav');
  });

  it('SIP.TLS_CERT, SIP.TLS_KEY, SIP.TLS_CA: a file that is missing or not PEM is refused; empty is taken', async () => {
    const notPem = join(dataDir, 'cert.txt');
    writeFileSync(notPem, 'hello');
    const good = selfSignedCertificate(['good']);
    writeFileSync(join(dataDir, 'good.crt'), good.cert);
    writeFileSync(join(dataDir, 'good.key'), good.key);
    // The certificate and its key are set in one command (TLS_KEY=), the CA bundle alone.
    const setting = (key: string, value: string): string =>
      key === 'SIP.TLS_CERT'
        ? `SET CFG KEY=SIP.TLS_CERT VALUE="${value}" TLS_KEY="${join(dataDir, 'good.key')}"`
        : key === 'SIP.TLS_KEY'
          ? `SET CFG KEY=SIP.TLS_CERT VALUE="${join(dataDir, 'good.crt')}" TLS_KEY="${value}"`
          : `SET CFG KEY=${key} VALUE="${value}"`;
    for (const key of ['SIP.TLS_CERT', 'SIP.TLS_KEY', 'SIP.TLS_CA']) {
      const missing = await run(setting(key, '/nonexistent.pem'));
      expect(missing.retcode).toBe(RETCODE.PARAMETER_ERROR);
      expect(missing.message).toMatch(
        new RegExp(
          `^Parameter (VALUE|TLS_KEY): ${key.replace('.', '\\.')} cannot be applied: .*cannot read the .* file /nonexistent\\.pem \\(ENOENT\\)`,
        ),
      );
      const garbage = await run(setting(key, notPem));
      expect(garbage.message).toContain(`${notPem} is not a PEM`);
      expect(appliance.settings.str(key)).toBe('');
    }
    expect((await run('SET CFG KEY=SIP.TLS_CA VALUE=""')).retcode).toBe(RETCODE.OK);
    expect((await run('SET CFG KEY=SIP.TLS_CERT VALUE="" TLS_KEY=""')).retcode).toBe(RETCODE.OK);
  });

  it('SIP.TLS_CERT, SIP.TLS_KEY: one alone that leaves the pair half set is refused, naming the other and the one command for both', async () => {
    const a = selfSignedCertificate(['a']);
    const b = selfSignedCertificate(['b']);
    for (const [name, text] of [
      ['a.crt', a.cert],
      ['a.key', a.key],
      ['b.crt', b.cert],
      ['b.key', b.key],
    ] as const)
      writeFileSync(join(dataDir, name), text);
    const cert = await run(`SET CFG KEY=SIP.TLS_CERT VALUE="a.crt"`);
    expect(cert.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(cert.message).toBe(
      'Parameter VALUE: SIP.TLS_CERT needs its private key, and SIP.TLS_KEY is empty (the next start refuses one ' +
        'without the other): set both in one command, SET CFG KEY=SIP.TLS_CERT VALUE="a.crt" TLS_KEY="<key file>"',
    );
    expect((await run(`SET CFG KEY=SIP.TLS_KEY VALUE="a.key"`)).message).toBe(
      'Parameter VALUE: SIP.TLS_KEY needs its certificate, and SIP.TLS_CERT is empty (the next start refuses one ' +
        'without the other): set both in one command, SET CFG KEY=SIP.TLS_CERT VALUE="<certificate file>" TLS_KEY="a.key"',
    );
    expect(zhText(cert.message.slice('Parameter VALUE: '.length))).toMatch(
      /^SIP\.TLS_CERT 需要其私钥，而 SIP\.TLS_KEY 为空（下次启动会拒绝只设置其中一个）：请在一条命令中同时设置两者，SET CFG /,
    );
    expect([appliance.settings.str('SIP.TLS_CERT'), appliance.settings.str('SIP.TLS_KEY')]).toEqual(['', '']);
    // Both in one command: checked together, set together.
    const mismatch = await run('SET CFG KEY=SIP.TLS_CERT VALUE="a.crt" TLS_KEY="b.key"');
    expect(mismatch.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(mismatch.message).toMatch(
      /^Parameter TLS_KEY: SIP\.TLS_KEY cannot be applied: .*b\.key does not match the certificate SIP\.TLS_CERT names/,
    );
    expect((await run('SET CFG KEY=SIP.TLS_CERT VALUE="a.crt"  TLS_KEY=""')).message).toBe(
      'Parameter TLS_KEY: SIP.TLS_CERT and SIP.TLS_KEY are both set or both empty (the next start refuses one without the other)',
    );
    const both = await run('SET CFG KEY=SIP.TLS_CERT VALUE="a.crt" TLS_KEY="a.key"');
    expect(both.retcode, both.message).toBe(RETCODE.OK);
    expect(both.message).toBe(
      'SIP.TLS_CERT = a.crt (was ); SIP.TLS_KEY = a.key (was ); it takes effect after a restart; not saved yet: SAVE CFG writes it to config.json',
    );
    expect(both.tables[0]!.rows).toEqual([
      ['SIP.TLS_CERT', 'a.crt', '', true],
      ['SIP.TLS_KEY', 'a.key', '', true],
    ]);
    // Rotation to a new pair in one command; emptying one alone is refused, both at once is taken.
    expect((await run('SET CFG KEY=SIP.TLS_CERT VALUE="b.crt" TLS_KEY="b.key"')).message).toMatch(
      /^SIP\.TLS_CERT = b\.crt \(was a\.crt\); SIP\.TLS_KEY = b\.key \(was a\.key\); /,
    );
    expect((await run('SET CFG KEY=SIP.TLS_KEY VALUE=""')).message).toBe(
      'Parameter VALUE: SIP.TLS_KEY "" would leave SIP.TLS_CERT (b.crt) alone (the next start refuses one without ' +
        "the other): to use the data folder's certificate (tls/), empty both in one command, SET CFG " +
        'KEY=SIP.TLS_CERT VALUE="" TLS_KEY=""',
    );
    expect((await run('SET CFG KEY=SIP.TLS_CA VALUE="b.crt" TLS_KEY="b.key"')).message).toBe(
      'Parameter TLS_KEY: goes with KEY=SIP.TLS_CERT only (the certificate and its private key set in one command)',
    );
    // A pair refused half way would be refused whole: nothing changed.
    expect([appliance.settings.str('SIP.TLS_CERT'), appliance.settings.str('SIP.TLS_KEY')]).toEqual([
      'b.crt',
      'b.key',
    ]);
    expect((await run('SAVE CFG')).retcode).toBe(RETCODE.OK);
    // What was saved is what the next start takes.
    const next = new Appliance({ dataDir, console: false, settings: loadSettings(dataDir, {}) });
    try {
      expect(next.tlsCredentials).toMatchObject({ origin: 'configured', certFile: join(dataDir, 'b.crt') });
    } finally {
      await next.stop();
    }
    expect((await run('SET CFG KEY=SIP.TLS_CERT VALUE="" TLS_KEY=""')).retcode).toBe(RETCODE.OK);
    expect([appliance.settings.str('SIP.TLS_CERT'), appliance.settings.str('SIP.TLS_KEY')]).toEqual(['', '']);
  });

  it('SIP.TLS_CERT, SIP.TLS_KEY, SIP.TLS_CA: refused as the next start would refuse them, nothing changed', async () => {
    const a = selfSignedCertificate(['a']);
    const b = selfSignedCertificate(['b']);
    const file = (name: string, text: string): string => {
      writeFileSync(join(dataDir, name), text);
      return join(dataDir, name);
    };
    const aCert = file('a.crt', a.cert);
    const aKey = file('a.key', a.key);
    const bKey = file('b.key', b.key);
    const encrypted = file(
      'enc.key',
      createPrivateKey(a.key).export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'pw',
      }) as string,
    );
    const junkCa = file('junk-ca.pem', '-----BEGIN CERTIFICATE-----\nnotbase64\n-----END CERTIFICATE-----\n');
    const refused = async (key: string, value: string, problem: RegExp): Promise<void> => {
      const before = appliance.settings.str(key);
      const r = await run(`SET CFG KEY=${key} VALUE="${value}"`);
      expect(r.retcode, r.message).toBe(RETCODE.PARAMETER_ERROR);
      expect(r.message).toMatch(
        new RegExp(`^Parameter VALUE: ${key.replace('.', '\\.')} cannot be applied: `),
      );
      expect(r.message).toMatch(problem);
      expect(appliance.settings.str(key)).toBe(before);
    };
    // The pair set in one command; then each alone is checked against the other.
    const pair = await run(`SET CFG KEY=SIP.TLS_CERT VALUE="${aCert}" TLS_KEY="${aKey}"`);
    expect(pair.retcode, pair.message).toBe(RETCODE.OK);
    await refused('SIP.TLS_KEY', bKey, /b\.key does not match the certificate SIP\.TLS_CERT names .*a\.crt/);
    await refused('SIP.TLS_KEY', encrypted, /enc\.key is a passphrase-protected \(encrypted\) private key/);
    await refused('SIP.TLS_KEY', aCert, /not a valid private key/);
    expect((await run(`SET CFG KEY=SIP.TLS_KEY VALUE="${aKey}"`)).retcode).toBe(RETCODE.OK);
    await refused('SIP.TLS_CERT', aKey, /a\.key holds a private key, not a valid certificate/);
    await refused('SIP.TLS_CA', aKey, /no usable CA certificate in .*a\.key \(it holds a private key\)/);
    await refused('SIP.TLS_CA', junkCa, /no usable CA certificate in .*junk-ca\.pem/);
    expect((await run(`SET CFG KEY=SIP.TLS_CA VALUE="${aCert}"`)).retcode).toBe(RETCODE.OK);
    // Files of the data folder, kept relative to it (data-folder-path.ts).
    expect(appliance.settings.str('SIP.TLS_CERT')).toBe('./a.crt');
    expect(appliance.settings.str('SIP.TLS_KEY')).toBe('./a.key');
  });

  it('a file of the data folder given by its absolute path is kept relative to it: the folder moved whole starts with its own', async () => {
    mkdirSync(join(dataDir, 'media'));
    writeFileSync(join(dataDir, 'media', 'prompt.wav'), encodeWav(new Int16Array(800)));
    mkdirSync(join(dataDir, 'certs'));
    const made = selfSignedCertificate(['127.0.0.1']);
    writeFileSync(join(dataDir, 'certs', 'cert.pem'), made.cert);
    writeFileSync(join(dataDir, 'certs', 'key.pem'), made.key);
    const media = await run(`SET CFG KEY=DIALER.MEDIA_FILE VALUE="${join(dataDir, 'media', 'prompt.wav')}"`);
    expect(media.retcode).toBe(RETCODE.OK);
    expect(media.message).toContain('DIALER.MEDIA_FILE = media/prompt.wav (was media/default.wav)');
    expect(media.message).toContain(`kept relative to the data folder ${dataDir}`);
    const tls = await run(
      `SET CFG KEY=SIP.TLS_CERT VALUE="${join(dataDir, 'certs', 'cert.pem')}" TLS_KEY="${join(dataDir, 'certs', 'key.pem')}"`,
    );
    expect(tls.retcode, tls.message).toBe(RETCODE.OK);
    expect(tls.message).toContain(`kept relative to the data folder ${dataDir}`);
    expect(appliance.settings.str('SIP.TLS_CERT')).toBe('certs/cert.pem');
    expect(appliance.settings.str('SIP.TLS_KEY')).toBe('certs/key.pem');
    // Outside the data folder: kept as given.
    const outside = mkdtempSync(join(tmpdir(), 'ims-file-settings-ca-'));
    try {
      writeFileSync(join(outside, 'ca.pem'), made.cert);
      expect((await run(`SET CFG KEY=SIP.TLS_CA VALUE="${join(outside, 'ca.pem')}"`)).retcode).toBe(
        RETCODE.OK,
      );
      expect(appliance.settings.str('SIP.TLS_CA')).toBe(join(outside, 'ca.pem'));
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    expect((await run('SET CFG KEY=SIP.TLS_CA VALUE=""')).retcode).toBe(RETCODE.OK);
    expect((await run('SAVE CFG')).retcode).toBe(RETCODE.OK);
    const saved = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({
      'DIALER.MEDIA_FILE': 'media/prompt.wav',
      'SIP.TLS_CERT': 'certs/cert.pem',
      'SIP.TLS_KEY': 'certs/key.pem',
    });

    // The folder restored elsewhere: its own prompt and certificate.
    await appliance.stop();
    const moved = `${dataDir}-moved`;
    renameSync(dataDir, moved);
    try {
      const settings = loadSettings(moved, {});
      const there = new Appliance({ dataDir: moved, console: false, settings });
      try {
        expect(there.dialer.resolveMedia(settings.str('DIALER.MEDIA_FILE'))).toBe(
          join(moved, 'media', 'prompt.wav'),
        );
        expect(there.tlsCredentials).toMatchObject({
          origin: 'configured',
          certFile: join(moved, 'certs', 'cert.pem'),
        });
      } finally {
        await there.stop();
      }
    } finally {
      renameSync(moved, dataDir);
    }
    appliance = new Appliance({ dataDir, console: false, settings: new Settings() });
  });
});
