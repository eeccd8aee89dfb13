import { describe, expect, it } from 'vitest';
import { mml, quote } from './mml-text';

describe('mml text', () => {
  it('quotes values that need it', () => {
    expect(quote('1001')).toBe('1001');
    expect(quote('sip:1001@lab')).toBe('sip:1001@lab');
    expect(quote('John Smith')).toBe('"John Smith"');
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quote('')).toBe('""');
  });
  it('builds the Huawei form and leaves out empty values', () => {
    expect(mml('ADD USER', { USERNAME: '2001', PASSWORD: 'p w', PHONE: '' })).toBe(
      'ADD USER:USERNAME=2001,PASSWORD="p w"',
    );
    expect(mml('CLR REG', { CONFIRM: 'YES' })).toBe('CLR REG:CONFIRM=YES');
    expect(mml('DSP USER')).toBe('DSP USER');
  });
});
