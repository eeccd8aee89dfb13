// Data folders for the settings tests, each with the config.json given (an object, or text as it is),
// removed after each test; and the SettingError a call throws.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { SettingError } from '../../../core/config/settings';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function dataDir(config?: unknown): string {
  const d = mkdtempSync(join(tmpdir(), 'ims-settings-'));
  dirs.push(d);
  if (config !== undefined)
    writeFileSync(join(d, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return d;
}

export function error(fn: () => unknown): SettingError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SettingError);
    return e as SettingError;
  }
  throw new Error('expected a SettingError');
}
