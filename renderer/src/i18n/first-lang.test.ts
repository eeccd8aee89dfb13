import { describe, expect, it } from 'vitest';
import { firstLang } from './first-lang';

describe("the console's language on a first visit", () => {
  it("follows the browser's first language the console speaks", () => {
    expect(firstLang(['zh-CN', 'zh', 'en'])).toBe('zh');
    expect(firstLang(['zh-Hans-CN'])).toBe('zh');
    expect(firstLang(['zh_TW'])).toBe('zh');
    expect(firstLang(['en-US', 'zh-CN'])).toBe('en');
    expect(firstLang(['fr-FR', 'zh-CN'])).toBe('zh');
    expect(firstLang(['fr-FR'])).toBe('en');
    expect(firstLang([])).toBe('en');
  });
});
