// The console's colours, read from styles.css's custom properties in both themes: a control's edge and a
// selected item's mark stand at 3:1 and more on what surrounds them (WCAG 1.4.11 non-text contrast), and
// a selected item is told by more than a background (WCAG 1.4.1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CSS = readFileSync(join(__dirname, 'styles.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

/** The declarations of the first rule whose selector list is exactly `selector` (spaces ignored). */
function rule(selector: string): string {
  const want = selector.replace(/\s+/g, ' ').trim();
  for (const m of CSS.matchAll(/([^{}]+)\{([^{}]*)\}/g))
    if (m[1]!.replace(/\s+/g, ' ').trim() === want) return m[2]!;
  throw new Error(`no rule ${selector}`);
}

/** A theme's custom properties: the dark ones (:root), the light ones over them. */
function theme(name: 'dark' | 'light'): Map<string, string> {
  const vars = new Map<string, string>();
  const blocks = name === 'dark' ? [':root'] : [':root', ":root[data-theme='light']"];
  for (const b of blocks)
    for (const m of rule(b).matchAll(/(--[\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)) vars.set(m[1]!, m[2]!);
  return vars;
}

/** The contrast ratio (WCAG 2.x) of two '#rrggbb' colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const x = parseInt(c.slice(i, i + 2), 16) / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [lum(a), lum(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** The custom property a declaration of `prop` names in `body` (e.g. border → --border-control). */
function varOf(body: string, prop: string): string {
  const m = new RegExp(`(?:^|;)\\s*${prop}\\s*:[^;]*var\\((--[\\w-]+)\\)`).exec(body);
  if (!m) throw new Error(`no var() in ${prop}: ${body}`);
  return m[1]!;
}

const SURROUNDINGS = ['--bg', '--bg-raised', '--bg-input', '--bg-hover', '--bg-selected'];

describe.each(['dark', 'light'] as const)('%s theme', (name) => {
  const vars = theme(name);
  const color = (v: string) => {
    const c = vars.get(v);
    if (c === undefined) throw new Error(`${v} not set in the ${name} theme`);
    return c;
  };

  it('fields, selects and buttons have an edge at 3:1 on every background they stand on', () => {
    for (const [selector, prop] of [
      ['.btn, select, .input', 'border'],
      ['.btn-primary:disabled', 'border-color'],
      ['.segmented', 'border'],
    ] as const) {
      const edge = color(varOf(rule(selector), prop));
      for (const bg of SURROUNDINGS)
        expect(contrast(edge, color(bg)), `${selector} on ${bg}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('a selected row and a chosen segment carry a mark (a bar) at 3:1 on the selected background', () => {
    for (const selector of ['.data-table tr.row-selected > td:first-child', '.segmented label.selected']) {
      const body = rule(selector);
      expect(body, selector).toMatch(/box-shadow:\s*inset\s[^;]*\b[3-9]px\b/);
      const mark = color(varOf(body, 'box-shadow'));
      expect(contrast(mark, color('--bg-selected')), selector).toBeGreaterThanOrEqual(3);
      expect(contrast(mark, color('--bg')), selector).toBeGreaterThanOrEqual(3);
    }
  });
});
