import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SETTINGS, SettingError, Settings, loadSettings } from '../../../core/config/settings';

const dirs: string[] = [];
function dataDir(config?: unknown): string {
  const d = mkdtempSync(join(tmpdir(), 'ims-settings-'));
  dirs.push(d);
  if (config !== undefined)
    writeFileSync(join(d, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function error(fn: () => unknown): SettingError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SettingError);
    return e as SettingError;
  }
  throw new Error('expected a SettingError');
}

describe('settings', () => {
  it('starts from the defaults', () => {
    const s = loadSettings(dataDir(), {});
    for (const d of SETTINGS) expect(s.get(d.key)).toEqual(d.default);
    expect(s.int('SIP.PORT')).toBe(5060);
    expect(s.list('AUTH.ALGORITHMS')).toEqual(['MD5', 'SHA-256']);
  });

  it('reads config.json, and the environment wins over it', () => {
    const s = loadSettings(
      dataDir({ 'REG.MIN_EXPIRES': 5, 'sip.port': '6060', 'AUTH.ALGORITHMS': 'sha-256, md5' }),
      {
        SIP_PORT: '0',
        LOG_LEVEL: 'debug',
        SERVER_IP: '10.1.2.3',
      },
    );
    expect(s.int('REG.MIN_EXPIRES')).toBe(5);
    expect(s.int('SIP.PORT')).toBe(0);
    expect(s.list('AUTH.ALGORITHMS')).toEqual(['SHA-256', 'MD5']);
    expect(s.str('LOG.LEVEL')).toBe('DEBUG');
    expect(s.str('SIP.SERVER_IP')).toBe('10.1.2.3');
  });

  it.each([
    [{ SIP_PORT: '70000' }, 'SIP_PORT', /integer 0\.\.65535/],
    [{ HTTP_PORT: 'abc' }, 'HTTP_PORT', /integer/],
    [{ LOCAL_NETWORK_CIDR: '192.168.0.0' }, 'LOCAL_NETWORK_CIDR', /CIDR/],
    [{ LOG_LEVEL: 'CRITICAL' }, 'LOG_LEVEL', /DEBUG, INFO, WARNING, ERROR/],
  ])('refuses a bad environment value %j, naming the variable', (env, name, message) => {
    const e = error(() => loadSettings(dataDir(), env));
    expect(e.key).toBe(name);
    expect(e.message).toMatch(message);
  });

  it('refuses a bad config.json, naming the file and key', () => {
    expect(error(() => loadSettings(dataDir('{oops'), {})).message).toMatch(/config\.json: not valid JSON/);
    expect(error(() => loadSettings(dataDir({ 'NO.SUCH': 1 }), {})).message).toMatch(
      /NO\.SUCH: unknown setting/,
    );
    expect(error(() => loadSettings(dataDir({ 'REG.MIN_EXPIRES': 0 }), {})).message).toMatch(
      /REG\.MIN_EXPIRES: expected an integer 1\.\.86400/,
    );
  });

  it('coerces typed values on set', () => {
    const s = new Settings();
    expect(s.set('sip.tcp', 'no')).toBe(false);
    expect(s.set('LOG.LEVEL', 'warning')).toBe('WARNING');
    expect(error(() => s.set('AUTH.ALGORITHMS', 'MD5,SHA-512')).message).toMatch(/items from MD5, SHA-256/);
  });
});
