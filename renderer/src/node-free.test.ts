// The renderer runs in a browser (and in Electron's sandboxed window): the core modules it imports must
// reach no Node module. One did (core/sip/transport/peer.ts → message/uri.ts → node:net), and every build
// printed Vite's `Module "node:net" has been externalized for browser compatibility`, the module a stub.
// The renderer's files and the ones they import are followed as the bundler does: each transformed by
// esbuild (type-only and unused imports dropped), then its imports read; packages are not followed.
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const NODE = new Set(builtinModules);
/** What an import statement, an export ... from or an import() names. */
const IMPORTED = /\b(?:from|import)\s*\(?\s*"([^"]+)"/g;

/** The renderer's own files, tests aside. */
function rendererFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? rendererFiles(join(dir, e.name))
      : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

/** A relative import's file, in Vite's order of extensions (./ladder is ladder.ts beside Ladder.tsx). */
function fileOf(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base].find(
    (f) =>
      /\.tsx?$/.test(f) && existsSync(f) && readdirSync(dirname(f)).includes(f.slice(dirname(f).length + 1)),
  );
}

/** Each Node module reached, with the chain of files that leads to it. */
function nodeModulesReached(): string[] {
  const parent = new Map<string, string | undefined>();
  const todo = rendererFiles(__dirname);
  for (const f of todo) parent.set(f, undefined);
  const found: string[] = [];
  while (todo.length > 0) {
    const file = todo.pop()!;
    const { code } = transformSync(readFileSync(file, 'utf8'), {
      loader: file.endsWith('.tsx') ? 'tsx' : 'ts',
      jsx: 'automatic',
      format: 'esm',
    });
    for (const [, spec] of code.matchAll(IMPORTED)) {
      if (spec!.startsWith('node:') || NODE.has(spec!.split('/')[0]!)) {
        const chain = [spec!];
        for (let f: string | undefined = file; f !== undefined; f = parent.get(f))
          chain.push(relative(ROOT, f));
        found.push(chain.join(' <- '));
      } else if (spec!.startsWith('.')) {
        const next = fileOf(file, spec!);
        if (next !== undefined && !parent.has(next)) {
          parent.set(next, file);
          todo.push(next);
        }
      }
    }
  }
  return found;
}

describe('the renderer bundle', () => {
  it('reaches no Node module through the core modules it imports', () => {
    expect(nodeModulesReached()).toEqual([]);
  });
});
