// The window's size and position, remembered between runs in a small JSON file in userData. A file
// that is missing, unreadable or names a place no display shows any more gives the default window
// (centred); a bad file is never an error.
import type { BrowserWindow, Rectangle } from 'electron';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export const WINDOW_STATE_FILE = 'window-state.json';

export interface WindowState {
  /** Absent: let the window manager centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const MIN_WIDTH = 800;
export const MIN_HEIGHT = 560;
export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };

/** How much of the title bar must lie on a display for a remembered position to be kept. */
const VISIBLE_EDGE = 48;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function onSomeDisplay(x: number, y: number, width: number, workAreas: Rectangle[]): boolean {
  return workAreas.some(
    (a) =>
      x + width - VISIBLE_EDGE >= a.x &&
      x + VISIBLE_EDGE <= a.x + a.width &&
      y >= a.y &&
      y + VISIBLE_EDGE <= a.y + a.height,
  );
}

/** The remembered state, checked against the displays' work areas now attached. */
export function readWindowState(file: string, workAreas: Rectangle[]): WindowState {
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (typeof saved !== 'object' || saved === null) return { ...DEFAULT_WINDOW_STATE };
  const s = saved as Record<string, unknown>;
  const state: WindowState = { ...DEFAULT_WINDOW_STATE };
  if (isInt(s.width) && isInt(s.height) && s.width >= MIN_WIDTH && s.height >= MIN_HEIGHT) {
    state.width = s.width;
    state.height = s.height;
  }
  state.maximized = s.maximized === true;
  if (isInt(s.x) && isInt(s.y) && onSomeDisplay(s.x, s.y, state.width, workAreas)) {
    state.x = s.x;
    state.y = s.y;
  }
  return state;
}

/** Writes the state atomically (a crash mid-write leaves the previous file). */
export function writeWindowState(file: string, state: WindowState): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state)}\n`);
  renameSync(tmp, file);
}

/** The state to remember for a window: its bounds when not maximized, and whether it is. */
export function windowStateOf(win: BrowserWindow): WindowState {
  const b = win.getNormalBounds();
  return { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
}

/** Remembers the window's state when it closes. Failing to write is logged, never fatal. */
export function rememberWindowState(win: BrowserWindow, file: string, warn: (m: string) => void): void {
  win.on('close', () => {
    try {
      writeWindowState(file, windowStateOf(win));
    } catch (err) {
      warn(`could not save the window state to ${file}: ${String(err)}`);
    }
  });
}
