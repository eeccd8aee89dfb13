// The mml client's language choice: --lang or IMS_LANG, en or zh in any case; an empty IMS_LANG is
// no choice. Checked before any request: a server that cannot be reached answers for the rest. A line too
// long for a request is refused before anything runs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { mmlClient, type ScriptInput } from '../../../core/cli/mml-client';
import { MAX_SCRIPT } from '../../../core/control/contract';
import { tempDir } from '../../support/temp-dir';

/** A terminal: nothing piped in. */
const TERMINAL: ScriptInput = { isTTY: true, read: () => Promise.resolve(Buffer.alloc(0)) };

async function errorOf(args: string[], env: NodeJS.ProcessEnv, stdin = TERMINAL): Promise<string> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: string[] = [];
  err.on('data', (c: Buffer) => chunks.push(c.toString()));
  const code = await mmlClient(
    args,
    { IMS_URL: 'http://127.0.0.1:1', IMS_ADMIN_PASSWORD: 'x', ...env },
    out,
    err,
    stdin,
  );
  expect(code).toBe(2);
  return chunks.join('');
}

describe('mml script from standard input', () => {
  const piped = (text: string): ScriptInput => ({
    isTTY: false,
    read: () => Promise.resolve(Buffer.from(text)),
  });
  it('reads a piped script when no command is given, and with --file -', async () => {
    // Read and checked before the server is reached: a line too long names standard input.
    const long = `DSP USER\nADD USER USERNAME=9 NAME="${'x'.repeat(MAX_SCRIPT)}"\n`;
    const said = `mml: line 2 of standard input is longer than ${MAX_SCRIPT} characters; nothing was run\n`;
    expect(await errorOf([], {}, piped(long))).toBe(said);
    expect(await errorOf(['--file', '-'], {}, piped(long))).toBe(said);
    expect(await errorOf([], {}, piped('DSP USER\n'))).toMatch(/^mml: cannot reach http:\/\/127\.0\.0\.1:1/);
    // A terminal with nothing given: the usage.
    expect(await errorOf([], {})).toMatch(/^usage: /);
  });

  it('--help prints the usage and exits 0', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    expect(await mmlClient(['--help'], {}, out, new PassThrough(), TERMINAL)).toBe(0);
    expect(text).toMatch(/^usage: node core\/server\.js mml /);
    // Where it goes without IMS_URL (README's examples use other ports).
    expect(text).toContain("env IMS_URL (default http://127.0.0.1:8888, the console's HTTP port)");
  });
});

describe('mml --lang / IMS_LANG', () => {
  it('takes en and zh in any case, and an empty IMS_LANG as none', async () => {
    for (const [args, env] of [
      [['--lang', 'ZH', 'DSP USER'], {}],
      [['DSP USER'], { IMS_LANG: 'Zh' }],
      [['DSP USER'], { IMS_LANG: 'EN' }],
      [['DSP USER'], { IMS_LANG: '' }],
    ] as const) {
      expect(await errorOf([...args], env)).toMatch(/^mml: cannot reach http:\/\/127\.0\.0\.1:1/);
    }
  });

  it('takes --lang and --file in any order, the command before or after --lang', async () => {
    const script = join(tempDir('ims-mml-'), 'x.mml');
    writeFileSync(script, 'DSP USER;\n');
    for (const args of [
      ['--file', script, '--lang', 'zh'],
      ['--lang=zh', '--file', script],
      ['DSP', 'USER', '--lang', 'zh'],
    ]) {
      expect(await errorOf(args, {})).toMatch(/^mml: cannot reach http:\/\/127\.0\.0\.1:1/);
    }
    // What was wrong comes first, then the usage (before: the usage alone).
    expect(await errorOf(['--lang', 'zh', '--file', script, 'DSP USER'], {})).toMatch(
      new RegExp(`^mml: a command and --file ${script}: give one of them\n(?=usage: )`),
    );
    expect(await errorOf(['--verbose', 'DSP USER'], {})).toMatch(/^mml: unknown option --verbose\nusage: /);
    expect(await errorOf(['DSP USER', '--lang'], {})).toMatch(/^mml: --lang needs a value\nusage: /);
    expect(await errorOf(['--file', script, '--file', script], {})).toMatch(
      /^mml: --file given twice\nusage: /,
    );
    expect(await errorOf(['--login', 'DSP USER'], {})).toMatch(
      /^mml: --login takes no command and no --file\nusage: /,
    );
    expect(await errorOf(['--lang=fr', '--file', script], {})).toBe(
      'mml: --lang/IMS_LANG must be en or zh, got "fr"\n',
    );
  });

  it('refuses a line longer than a request holds before anything runs, naming its line', async () => {
    const script = join(tempDir('ims-mml-'), 'long.mml');
    writeFileSync(script, `DSP USER\nADD USER USERNAME=9 NAME="${'x'.repeat(MAX_SCRIPT)}"\n`);
    expect(await errorOf(['--file', script], {})).toBe(
      `mml: line 2 of ${script} is longer than ${MAX_SCRIPT} characters; nothing was run\n`,
    );
  });

  it('refuses another language, naming it', async () => {
    expect(await errorOf(['--lang', 'FR', 'DSP USER'], {})).toBe(
      'mml: --lang/IMS_LANG must be en or zh, got "FR"\n',
    );
  });
});

describe('mml --timeout / IMS_TIMEOUT', () => {
  it('takes seconds, and refuses anything else naming both', async () => {
    for (const [args, env] of [
      [['--timeout', '5', 'DSP USER'], {}],
      [['--timeout=0.5', 'DSP USER'], {}],
      [['DSP USER'], { IMS_TIMEOUT: '120' }],
      [['DSP USER'], { IMS_TIMEOUT: '' }],
    ] as const) {
      expect(await errorOf([...args], env)).toMatch(/^mml: cannot reach http:\/\/127\.0\.0\.1:1/);
    }
    const said = (got: string): string =>
      `mml: --timeout/IMS_TIMEOUT must be a number of seconds, more than 0 and at most 86400, got "${got}"\n`;
    expect(await errorOf(['--timeout', '0', 'DSP USER'], {})).toBe(said('0'));
    expect(await errorOf(['--timeout=1m', 'DSP USER'], {})).toBe(said('1m'));
    expect(await errorOf(['DSP USER'], { IMS_TIMEOUT: '-3' })).toBe(said('-3'));
    expect(await errorOf(['DSP USER'], { IMS_TIMEOUT: '90000' })).toBe(said('90000'));
  });
});

describe('mml with nothing to run', () => {
  // A command argument given empty is refused (exit 2): mml-client-args.test.ts.
  it('exits 0 saying so, without the server, for an empty or comment-only script', async () => {
    const piped = (text: string): ScriptInput => ({
      isTTY: false,
      read: () => Promise.resolve(Buffer.from(text)),
    });
    const script = join(tempDir('ims-mml-'), 'none.mml');
    writeFileSync(script, '\uFEFF# no new users today\r\n\r\n// nor tomorrow\r\n');
    for (const [args, stdin] of [
      [[], piped('')],
      [[], piped('# only a comment\n')],
      [['--file', script], TERMINAL],
    ] as const) {
      const out = new PassThrough();
      const err = new PassThrough();
      let said = '';
      let printed = '';
      err.on('data', (c: Buffer) => (said += c.toString()));
      out.on('data', (c: Buffer) => (printed += c.toString()));
      const env = { IMS_URL: 'http://127.0.0.1:1', IMS_ADMIN_PASSWORD: 'x' };
      expect(await mmlClient([...args], env, out, err, stdin)).toBe(0);
      expect(said).toBe('mml: nothing to run: the script holds no command (only blank lines or comments)\n');
      expect(printed).toBe('');
    }
  });
});
