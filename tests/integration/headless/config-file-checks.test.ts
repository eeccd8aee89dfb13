// config.json checked as SET CFG checks it (README), against the built server: a bad AUTH.REALM (empty,
// a NUL, 100,000 characters), a DIALER.MEDIA_FILE outside the data folder, a list that is no list of
// strings stop the start with one line naming the file and the key, exit code 2, no stack trace; the
// database is not created (the start stops before it). A config.json that is no regular file (a link
// to /dev/zero: read until the process died) or over 1 MB is refused before it is read.
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_BUILD, SERVER_BUNDLE, startNode, type Child } from '../../support/processes';
import { serverEnv } from '../../support/lab-server';

const dirs: string[] = [];
const children: Child[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * Starts the built server on a data folder whose config.json is `config` (or what `config` makes of
 * it); resolves once it exits (killed after 15 s: a start not refused goes on serving).
 */
async function startWith(
  config: Record<string, unknown> | ((file: string) => void),
  nodeFlags: string[] = [],
): Promise<{ dir: string; code: number | string; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ims-config-checks-'));
  dirs.push(dir);
  if (typeof config === 'function') config(join(dir, 'config.json'));
  else writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const c = startNode(
    [...nodeFlags, SERVER_BUNDLE],
    serverEnv(dir, { HTTP_HOST: '127.0.0.1', IMS_ADMIN_PASSWORD: 'config-checks' }),
  );
  children.push(c);
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), 15_000);
  const code = await c.exited;
  clearTimeout(timer);
  return { dir, code, output: c.output() };
}

describe.skipIf(!HAS_BUILD)('config.json, checked as SET CFG checks it', () => {
  it.each([
    ['an empty AUTH.REALM', 'AUTH.REALM', '', 'must be 1..128 characters'],
    ['an AUTH.REALM with a NUL', 'AUTH.REALM', 'a\u0000b', 'must not contain control characters, " or \\'],
    ['an AUTH.REALM of 100,000 characters', 'AUTH.REALM', 'r'.repeat(100_000), 'must be 1..128 characters'],
    [
      'a DIALER.MEDIA_FILE outside the data folder',
      'DIALER.MEDIA_FILE',
      '../../../etc/passwd',
      "../../../etc/passwd: outside the data folder and the app's folders: put the prompt in media/",
    ],
    [
      'a SIP.DOMAINS array of other than strings',
      'SIP.DOMAINS',
      ['a.lab', 1, null],
      'must be a comma list, or a JSON array of strings (got ["a.lab",1,null])',
    ],
  ])('%s stops the start naming the file and key (exit 2)', async (_, key, value, why) => {
    const { dir, code, output } = await startWith({ [key]: value });
    expect(code).toBe(2);
    expect(output).toContain(`ims-lab: configuration error: ${join(dir, 'config.json')} ${key}: ${why}\n`);
    expect(output).not.toMatch(/^\s+at /m);
    expect(existsSync(join(dir, 'ims-lab.db'))).toBe(false);
  });

  it.each([
    ['a link to /dev/zero', (file: string) => symlinkSync('/dev/zero', file), 'not a regular file'],
    [
      'a file of 2 MB',
      (file: string) => writeFileSync(file, `{}${' '.repeat(2 * 1024 * 1024)}`),
      `${2 * 1024 * 1024 + 2} bytes; a config.json is at most 1048576 bytes (1 MB)`,
    ],
  ])('%s as config.json stops the start before reading it (exit 2)', async (_, make, why) => {
    const { dir, code, output } = await startWith(make);
    expect(code).toBe(2);
    expect(output).toContain(`ims-lab: configuration error: ${join(dir, 'config.json')}: ${why}\n`);
  });

  // The trace ring filled a heap it could never fit in until V8 ended the process (ring-heap.ts).
  it('a TRACE.RING_MB larger than a quarter of the heap stops the start, naming the limit (exit 2)', async () => {
    const { dir, code, output } = await startWith({ 'TRACE.RING_MB': 65536 }, ['--max-old-space-size=96']);
    expect(code).toBe(2);
    expect(output).toContain(
      `ims-lab: configuration error: ${join(dir, 'config.json')} TRACE.RING_MB: 65536 MB is more than the ` +
        "JavaScript heap can spare for the trace ring: at most 36 MB, a quarter of the heap's limit (144 MB, " +
        "V8's heap_size_limit; node --max-old-space-size=<MB> raises it)\n",
    );
  });

  // Read with U+FFFD in place of its letters, a realm (and every HA1 derived over it) changed silently.
  it.each([
    [
      'Latin-1',
      Buffer.from('{"SIP.DOMAIN": "lab",\n "AUTH.REALM": "r\xe9alm"}', 'latin1'),
      'is not UTF-8 text (line 2: GBK, Latin-1 or binary bytes): save it as UTF-8',
    ],
    [
      'UTF-16',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"LOG.LEVEL": "DEBUG"}', 'utf16le')]),
      'is UTF-16 text (it starts with its byte order mark): save it as UTF-8',
    ],
  ])(
    'a config.json in %s stops the start naming the file and its encoding (exit 2)',
    async (_, bytes, why) => {
      const { dir, code, output } = await startWith((file) => writeFileSync(file, bytes));
      expect(code).toBe(2);
      expect(output).toContain(`ims-lab: configuration error: ${join(dir, 'config.json')}: ${why}\n`);
    },
  );
});
