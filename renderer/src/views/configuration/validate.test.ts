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
  it('integers within bounds', () => {
    const d = s({ type: 'integer', min: 60, max: 3600 });
    expect(checkValue(d, '120')).toBeNull();
    expect(checkValue(d, '12')).toBe('at least 60');
    expect(checkValue(d, 'x')).toBe('expected an integer 60..3600');
    expect(checkValue(s({ type: 'integer' }), 'x')).toBe('expected an integer');
    // "-0" is a slip, not 0 (for SIP.PORT, a free port): refused as the server refuses it.
    expect(checkValue(s({ type: 'integer', min: 0, max: 65535 }), '-0')).toBe('expected an integer 0..65535');
  });
  it('enums and lists', () => {
    expect(checkValue(s({ type: 'enum', options: ['DEBUG', 'INFO'] }), 'debug')).toBeNull();
    expect(checkValue(s({ type: 'enum', options: ['DEBUG', 'INFO'] }), 'TRACE')).toBe('one of DEBUG, INFO');
    expect(checkValue(s({ type: 'list', options: ['MD5', 'SHA-256'] }), 'MD5,SHA-1')).toContain('SHA-1');
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
    const d = s({ type: 'integer', min: 0, max: 65535 });
    expect(checkValue(d, 'abc', 'zh')).toBe('应为 0..65535 的整数');
    expect(checkValue(d, '999999', 'zh')).toBe('不能大于 65535');
    expect(checkValue(s({ type: 'enum', options: ['DEBUG', 'INFO'] }), 'x', 'zh')).toBe(
      '应为以下之一：DEBUG, INFO',
    );
    expect(checkValue(s({ type: 'list', options: ['MD5'] }), 'SHA-1', 'zh')).toBe(
      '不允许：SHA-1（可选：MD5）',
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
