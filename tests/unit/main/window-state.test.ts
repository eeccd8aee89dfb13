// The remembered window state (main/window-state.ts) on real files: kept when sane, the default when
// missing, unreadable, too small, or placed where no display shows it any more.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, readWindowState, writeWindowState } from '../../../main/window-state';

const DISPLAY = [{ x: 0, y: 0, width: 1920, height: 1040 }];
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function stateFile(content?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ims-lab-window-'));
  dirs.push(dir);
  const file = join(dir, 'window-state.json');
  if (content !== undefined) writeFileSync(file, content);
  return file;
}

describe('window state', () => {
  it('round-trips through the file', () => {
    const file = stateFile();
    const state = { x: 10, y: 20, width: 1024, height: 700, maximized: true };
    writeWindowState(file, state);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);
    expect(readWindowState(file, DISPLAY)).toEqual(state);
  });

  it.each([
    ['missing', undefined],
    ['not JSON', '{"x": 1,'],
    ['not an object', '42'],
    ['null', 'null'],
  ])('is the default when the file is %s', (_what, content) => {
    expect(readWindowState(stateFile(content), DISPLAY)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('keeps the default size for a size too small or not a whole number', () => {
    const tiny = stateFile(JSON.stringify({ x: 0, y: 0, width: 100, height: 50, maximized: false }));
    expect(readWindowState(tiny, DISPLAY)).toMatchObject({ width: 1280, height: 800, x: 0, y: 0 });
    const odd = stateFile(JSON.stringify({ width: '900', height: 700.5 }));
    expect(readWindowState(odd, DISPLAY)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('drops a position no display shows (a monitor unplugged), keeping the size', () => {
    const file = stateFile(JSON.stringify({ x: 2500, y: 100, width: 1000, height: 700, maximized: false }));
    expect(readWindowState(file, DISPLAY)).toEqual({ width: 1000, height: 700, maximized: false });
    // Still there on the second monitor.
    const two = [...DISPLAY, { x: 1920, y: 0, width: 1920, height: 1040 }];
    expect(readWindowState(file, two)).toMatchObject({ x: 2500, y: 100 });
    // Title bar above the top edge: the window could not be dragged back.
    const above = stateFile(JSON.stringify({ x: 100, y: -200, width: 1000, height: 700, maximized: false }));
    expect(readWindowState(above, DISPLAY).x).toBeUndefined();
  });
});
