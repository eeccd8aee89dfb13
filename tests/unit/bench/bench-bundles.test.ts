// The npm run bench:* scripts bundle a benchmark as an ES module with esbuild. A CommonJS package left
// in such a bundle (ws requires Node's events) throws "Dynamic require of ... is not supported" when the
// benchmark starts: bench:dialer failed so for README's command. Each script's bundle is built here and
// must hold no require left for run time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const benches = Object.entries(scripts).filter(
  ([name, line]) => name.startsWith('bench:') && line.startsWith('esbuild '),
);
const out = mkdtempSync(join(tmpdir(), 'ims-bench-bundles-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the bench scripts', () => {
  it('are there', () => expect(benches.map(([name]) => name)).toContain('bench:dialer'));

  for (const [name, line] of benches) {
    it(`${name}: its bundle requires nothing at run time`, () => {
      const args = line
        .split(' && ')[0]!
        .split(' ')
        .slice(1)
        .map((a) => (a.startsWith('--outfile=') ? `--outfile=${join(out, `${name.slice(6)}.mjs`)}` : a));
      execFileSync(join(root, 'node_modules', '.bin', 'esbuild'), args, { cwd: root, stdio: 'pipe' });
      const bundle = readFileSync(join(out, `${name.slice(6)}.mjs`), 'utf8');
      const required = [...bundle.matchAll(/__require\("([^"]+)"\)/g)].map((m) => m[1]);
      expect(required).toEqual([]);
    });
  }
});
