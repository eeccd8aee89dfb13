import { describe, expect, it } from 'vitest';
import { wrapTarget } from './focus-cycle';

describe('wrapTarget (Tab cycles inside a dialog)', () => {
  const list = ['value', 'cancel', 'save'];
  it('Tab on the last control goes to the first; elsewhere the browser moves it', () => {
    expect(wrapTarget(list, 'save', false)).toBe('value');
    expect(wrapTarget(list, 'value', false)).toBeUndefined();
    expect(wrapTarget(list, 'cancel', false)).toBeUndefined();
  });
  it('Shift+Tab on the first control (or on the dialog itself) goes to the last', () => {
    expect(wrapTarget(list, 'value', true)).toBe('save');
    expect(wrapTarget(list, null, true)).toBe('save');
    expect(wrapTarget(list, 'dialog', true)).toBe('save');
    expect(wrapTarget(list, 'save', true)).toBeUndefined();
  });
  it('one control: Tab and Shift+Tab stay on it; none: nothing to do', () => {
    expect(wrapTarget(['ok'], 'ok', false)).toBe('ok');
    expect(wrapTarget(['ok'], 'ok', true)).toBe('ok');
    expect(wrapTarget([], null, false)).toBeUndefined();
  });
});
