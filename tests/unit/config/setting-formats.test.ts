// The forms settings' values must take beyond their types (core/config/setting-formats.ts): refused by
// SET CFG with RETCODE 3 naming the key and what it expects, and by config.json and the environment at
// start-up, instead of when the listener, the proxy or STR DIALSVC first uses the value.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir, error } from './config-dirs';
import { SETTINGS, SettingError, Settings, coerce, loadSettings } from '../../../core/config/settings';
import { RETCODE } from '../../../core/mml/command';
import { checkUsername } from '../../../core/store/user-fields';
import { openLab, run, useLabs } from '../mml/lab';

useLabs();

const set = (key: string, value: unknown): unknown => new Settings().set(key, value);

const LONG_LABEL = `${'a'.repeat(1000)}.lab`;

describe('SET CFG refuses a value its setting could not use', () => {
  it.each([
    ['DIALER.USERNAME', '"bad user"', /DIALER\.USERNAME must be a user name of 1\.\.64 characters/],
    ['SIP.HOST', '999.1.1.1', /SIP\.HOST must be an IP address of this machine \(IPv4 or IPv6\)/],
    ['HTTP.HOST', '"not a host"', /HTTP\.HOST must be an IP address of this machine/],
    [
      'SIP.DOMAINS',
      '"bad_domain!,<x>"',
      /SIP\.DOMAINS must be a comma list of host names like ims\.lab.*\(got "bad_domain!"\)$/,
    ],
    // A label of 1000 characters (RFC 1035 §2.3.4: at most 63).
    ['SIP.DOMAINS', 'LONG_LABEL', /SIP\.DOMAINS must be a comma list of host names like ims\.lab/],
    [
      'PROXY.AUTH_METHODS',
      '"INVITE,FOO BAR"',
      /PROXY\.AUTH_METHODS must be a comma list of SIP methods.*\(got "FOO BAR"\)$/,
    ],
    [
      'SIP.WS_ORIGINS',
      '"not a url"',
      /SIP\.WS_ORIGINS must be a comma list of origins like https:\/\/lab\.example:8443/,
    ],
  ])('%s=%s → PARAMETER_ERROR naming the key and what it expects', async (key, shown, message) => {
    const value = shown === 'LONG_LABEL' ? LONG_LABEL : shown;
    const lab = openLab();
    const before = lab.settings.get(key);
    const r = await run(lab, `SET CFG KEY=${key} VALUE=${value}`);
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toMatch(/^Parameter VALUE: /);
    expect(r.message).toMatch(message);
    expect(lab.settings.get(key)).toEqual(before);
    expect(lab.settings.unsaved()).toEqual([]);
  });

  it('refuses an empty DIALER.PASSWORD without echoing the value given', async () => {
    const lab = openLab();
    const r = await run(lab, `SET CFG KEY=DIALER.PASSWORD VALUE="${'s3cret'.repeat(30)}"`);
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toBe('Parameter VALUE: DIALER.PASSWORD must be a password of 1..128 characters');
    expect(error(() => set('DIALER.PASSWORD', '')).message).toBe(
      'DIALER.PASSWORD: must be a password of 1..128 characters',
    );
    expect(set('DIALER.PASSWORD', 'pässwörd 1')).toBe('pässwörd 1');
  });
});

describe('the same checks at start-up', () => {
  it('stops on a bad value in config.json, naming the file and key', () => {
    const dir = dataDir({ 'SIP.HOST': '999.1.1.1' });
    expect(error(() => loadSettings(dir, {})).message).toBe(
      `${join(dir, 'config.json')} SIP.HOST: must be an IP address of this machine (IPv4 or IPv6), or 0.0.0.0 or :: ` +
        'for all of them (got "999.1.1.1")',
    );
    for (const bad of [
      { 'DIALER.USERNAME': 'bad user' },
      { 'SIP.DOMAINS': ['ims.lab', 'bad_domain!'] },
      { 'PROXY.AUTH_METHODS': 'INVITE,FOO BAR' },
      { 'SIP.WS_ORIGINS': 'not a url' },
      { 'HTTP.HOST': 'not a host' },
    ]) {
      const dir = dataDir(bad);
      const key = Object.keys(bad)[0]!;
      expect(error(() => loadSettings(dir, {})).key).toBe(`${join(dir, 'config.json')} ${key}`);
    }
  });

  it('stops on a bad environment value, naming the variable', () => {
    for (const [name, value] of [
      ['SIP_HOST', '999.1.1.1'],
      ['SIP_HOST', 'localhost'],
      ['HTTP_HOST', 'not a host'],
      ['SIP_DOMAINS', 'ims.lab,<x>'],
      ['SIP_WS_ORIGINS', 'https://lab.example/path'],
    ] as const)
      expect(error(() => loadSettings(dataDir(), { [name]: value })).key).toBe(name);
  });

  it('every default is a value its own checks take', () => {
    for (const d of SETTINGS) expect(coerce(d, d.default)).toEqual(d.default);
  });
});

describe('each form', () => {
  it('a listen address is an IP literal, v4 or v6, the unspecified ones included (README: SIP_HOST)', () => {
    for (const good of ['0.0.0.0', '::', '127.0.0.1', '::1', '192.0.2.7', '2001:db8::7'])
      for (const key of ['SIP.HOST', 'HTTP.HOST']) expect(set(key, good)).toBe(good);
    // A name was looked up at bind time and, for SIP.HOST, advertised in Via as if it were an address.
    for (const bad of ['999.1.1.1', 'not a host', 'localhost', 'ims.lab', '1.2.3', '127.0.0.1:5060', ''])
      expect(error(() => set('SIP.HOST', bad)).message).toMatch(/^SIP\.HOST: must be an IP address/);
  });

  it("DIALER.USERNAME takes exactly the user names the user store takes (its account's)", () => {
    const samples = ['0000', '1001', 'dialer.1+x_y-z', 'a'.repeat(64), 'a'.repeat(65), '', 'bad user'];
    samples.push('用户1001', 'a@b', 'a;b', 'a:b', '%41');
    for (const name of samples) {
      const storeTakes = checkUsername(name) === undefined;
      let settingTakes = true;
      try {
        set('DIALER.USERNAME', name);
      } catch {
        settingTakes = false;
      }
      expect([name, settingTakes]).toEqual([name, storeTakes]);
    }
  });

  it('SIP.DOMAINS items are SIP.DOMAIN hosts (RFC 3261 §25.1), the one at fault named', () => {
    expect(set('SIP.DOMAINS', 'ims.lab, lab.example., 192.0.2.1')).toEqual([
      'ims.lab',
      'lab.example.',
      '192.0.2.1',
    ]);
    expect(set('SIP.DOMAINS', '')).toEqual([]);
    expect(error(() => set('SIP.DOMAINS', `ims.lab,${'a'.repeat(64)}.lab`)).message).toBe(
      `SIP.DOMAINS: must be a comma list of host names like ims.lab, or IPv4 addresses (got "${'a'.repeat(64)}.lab")`,
    );
    for (const bad of ['bad_domain!', '<x>', 'a b', '-lab', 'sip:ims.lab', 'ims..lab'])
      expect(() => set('SIP.DOMAINS', `ims.lab,${bad}`)).toThrow(SettingError);
  });

  it('PROXY.AUTH_METHODS items are method tokens (RFC 3261 §25.1): extension methods too, no spaces', () => {
    expect(set('PROXY.AUTH_METHODS', 'INVITE, info, FOO')).toEqual(['INVITE', 'info', 'FOO']);
    for (const bad of ['FOO BAR', 'INVITE;x', 'MESSAGE/2', '"INVITE"'])
      expect(error(() => set('PROXY.AUTH_METHODS', `INVITE,${bad}`)).message).toBe(
        `PROXY.AUTH_METHODS: must be a comma list of SIP methods like INVITE, MESSAGE (RFC 3261 §25.1 tokens: no spaces) (got ${JSON.stringify(bad)})`,
      );
  });

  it('SIP.WS_ORIGINS items are origins as browsers send them (RFC 6454 §6.2): nothing that could never match', () => {
    const good = [
      'https://lab.example:8443',
      'http://lab.example',
      'HTTPS://Lab.Example',
      'http://[::1]:8080',
    ];
    expect(set('SIP.WS_ORIGINS', good.join(','))).toEqual(good);
    for (const bad of [
      'not a url',
      'lab.example',
      'https://lab.example/',
      'https://lab.example/x',
      'https://lab.example:443',
    ])
      expect(() => set('SIP.WS_ORIGINS', bad)).toThrow(
        /must be a comma list of origins like https:\/\/lab\.example:8443/,
      );
  });
});
