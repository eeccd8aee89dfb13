import { describe, expect, it } from 'vitest';
import type { SettingData } from '../../../../core/control/contract';
import { checkValue, removableSecret, setCommand, valueText } from './validate';

const s = (over: Partial<SettingData>): SettingData => ({
  key: 'K',
  type: 'string',
  value: '',
  default: '',
  source: 'default',
  help: '',
  allowed: '',
  restart: false,
  ...over,
});

describe('setting checks', () => {
  it("integers within bounds, refused in SET CFG's words with their unit", () => {
    const d = s({ key: 'REG.MIN_EXPIRES', type: 'integer', min: 60, max: 3600, unit: 'seconds' });
    expect(checkValue(d, '120')).toBeNull();
    expect(checkValue(d, '12')).toBe(
      'REG.MIN_EXPIRES must be a whole number of seconds from 60 to 3600 (got "12")',
    );
    expect(checkValue(d, ' x ')).toBe(
      'REG.MIN_EXPIRES must be a whole number of seconds from 60 to 3600 (got "x")',
    );
    expect(checkValue(s({ type: 'integer' }), 'x')).toBe('K must be a whole number (got "x")');
    // "-0" is a slip, not 0 (for SIP.PORT, a free port): refused as the server refuses it.
    expect(checkValue(s({ key: 'SIP.PORT', type: 'integer', min: 0, max: 65535, unit: 'port' }), '-0')).toBe(
      'SIP.PORT must be a port number from 0 to 65535 (got "-0")',
    );
  });
  it("booleans, enums and lists, a list's item at fault named", () => {
    expect(checkValue(s({ type: 'boolean' }), 'on')).toBeNull();
    expect(checkValue(s({ type: 'boolean' }), 'maybe')).toBe(
      'K must be YES or NO (or TRUE/FALSE, ON/OFF, 1/0) (got "maybe")',
    );
    expect(checkValue(s({ type: 'enum', options: ['DEBUG', 'INFO'] }), 'debug')).toBeNull();
    expect(checkValue(s({ type: 'enum', options: ['DEBUG', 'INFO'] }), 'TRACE')).toBe(
      'K must be one of DEBUG, INFO (got "TRACE")',
    );
    const list = s({ type: 'list', options: ['MD5', 'SHA-256'] });
    expect(checkValue(list, 'md5, sha-256')).toBeNull();
    expect(checkValue(list, 'MD5,SHA-1,MD4')).toBe('K must be a comma list of MD5, SHA-256 (got "SHA-1")');
    expect(checkValue(list, ' , ')).toBe('K must be a comma list of MD5, SHA-256, at least one (got ",")');
    expect(checkValue(s({ type: 'list' }), 'anything')).toBeNull();
  });
  it('a password (masked when shown) must be typed anew', () => {
    expect(checkValue(s({ type: 'string', secret: true }), '  ')).toBe('enter the new password');
    expect(checkValue(s({ type: 'string', secret: true }), 'n3w')).toBeNull();
  });
  it('a secret whose empty value means none may be removed, and the command says VALUE=""', () => {
    // TRACE.HEP_AUTH_KEY (empty by default: no key) could be cleared by SET CFG only; DIALER.PASSWORD
    // (default 0000) cannot be empty, and its edit offers no removal.
    expect(removableSecret(s({ key: 'TRACE.HEP_AUTH_KEY', secret: true, default: '' }))).toBe(true);
    expect(removableSecret(s({ key: 'DIALER.PASSWORD', secret: true, default: '0000' }))).toBe(false);
    expect(removableSecret(s({ key: 'SIP.DOMAINS', default: '' }))).toBe(false);
    expect(setCommand('TRACE.HEP_AUTH_KEY', '')).toBe('SET CFG:KEY=TRACE.HEP_AUTH_KEY,VALUE=""');
    expect(setCommand('LOG.LEVEL', ' DEBUG ')).toBe('SET CFG:KEY=LOG.LEVEL,VALUE=DEBUG');
    expect(setCommand('X.Y', 'a "b"')).toBe('SET CFG:KEY=X.Y,VALUE="a \\"b\\""');
  });
  it('says the problem in the console’s language', () => {
    const d = s({ key: 'SIP.PORT', type: 'integer', min: 0, max: 65535, unit: 'port' });
    expect(checkValue(d, 'abc', 'zh')).toBe('SIP.PORT 应为 0 到 65535 之间的端口号，实际为 "abc"');
    expect(
      checkValue(
        s({ key: 'TIMER.T1', type: 'integer', min: 50, max: 10000, unit: 'milliseconds' }),
        '9',
        'zh',
      ),
    ).toBe('TIMER.T1 应为 50 到 10000 之间的整数（毫秒），实际为 "9"');
    expect(checkValue(s({ type: 'enum', options: ['DEBUG', 'INFO'] }), 'x', 'zh')).toBe(
      'K 应为 DEBUG, INFO 之一，实际为 "x"',
    );
    expect(checkValue(s({ type: 'list', options: ['MD5'] }), 'SHA-1', 'zh')).toBe(
      'K 应为取自 MD5 的逗号分隔列表，实际为 "SHA-1"',
    );
    expect(checkValue(s({ type: 'string', secret: true }), '', 'zh')).toBe('请输入新密码');
  });
  it('shows lists joined, and booleans as the YES or NO the Allowed column names', () => {
    expect(valueText(['a', 'b'])).toBe('a,b');
    expect([valueText(true), valueText(false), valueText(0), valueText(undefined)]).toEqual([
      'YES',
      'NO',
      '0',
      '',
    ]);
  });
});
