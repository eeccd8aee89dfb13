// Data folders for the settings tests, each with the config.json given (an object, or text as it is),
// removed after each test; the original's folder with a data/ in it; and the SettingError a call throws.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

/** The original's folder with its data/ (returned) and, when text is given, its file at `path` in it. */
export function originalFolder(path: string, text?: string): string {
  const root = dataDir();
  mkdirSync(join(root, 'data'));
  if (text !== undefined) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return join(root, 'data');
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
