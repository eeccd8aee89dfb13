// The change topics (DESIGN.md, Events, not polling): what a console's Configuration, Users, CDR and
// Trace views show changes by other hands than its own (another console, the `mml` CLI, a script, the
// CLI's `users import` from another process), and each such change is told on the hub, whoever made
// it, so every console reloads rather than show what was. Told where the state changes, not where a
// command is parsed: a command that changes a setting under another name (SET TRACE, SET LOG) or a
// user as a side effect (STR DIALSVC's account) is told as well as SET CFG and ADD USER are.
import type { SettingsUpdate } from './config/settings';
import type { CdrChange } from './cdr/cdr-change';
import type { EventHub } from './observe/event-hub';
import type { TraceKeeping } from './trace/sip-trace';
import { UsersChanges, type UsersChange } from './store/users-changes';
import type { Appliance } from './appliance';

/** The change topics and what each carries (the appliance's events; the control contract's too). */
export interface ChangeEvents {
  /** Settings changed (in force) or saved, whoever asked. */
  config: SettingsUpdate & { at: number };
  /** The users table changed, in this process or another. */
  users: UsersChange;
  /** CDR rows cleared or imported. */
  cdr: CdrChange & { at: number };
  /** The trace cleared, its settings changed, or trace.db let its oldest dialogs go: whether it keeps messages now. */
  traceState: { type: 'cleared' | 'configured' | 'trimmed'; state: TraceKeeping; at: number };
}

/** trace.db's trims are told at most this often (ms). */
export const TRIMMED_TOLD_MS = 5000;

type Sources = Pick<Appliance, 'db' | 'settings' | 'cdr' | 'trace' | 'mml'>;

/** Tells the hub of every change; returns the function that stops (before the database closes). */
export function tellChanges(a: Sources, hub: Pick<EventHub<ChangeEvents>, 'emit'>): () => void {
  const stops: (() => void)[] = [];
  stops.push(
    a.settings.onUpdate((u) => {
      hub.emit('config', { ...u, at: Date.now() });
      // The trace's settings are in force once the update is told (Settings.change's listeners ran).
      if (u.type === 'changed' && u.keys.some((k) => k.startsWith('TRACE.')))
        hub.emit('traceState', { type: 'configured', state: a.trace.keeping, at: Date.now() });
    }),
  );
  a.trace.onCleared = () =>
    hub.emit('traceState', { type: 'cleared', state: a.trace.keeping, at: Date.now() });
  // Told at once, then at most once a window (a small DB_MB trims every second under load, and each
  // told has every open Trace list read again).
  let trimWindow: NodeJS.Timeout | undefined;
  let trimmedInWindow = false;
  const tellTrimmed = (): void => {
    hub.emit('traceState', { type: 'trimmed', state: a.trace.keeping, at: Date.now() });
    trimWindow = setTimeout(() => {
      trimWindow = undefined;
      if (trimmedInWindow) {
        trimmedInWindow = false;
        tellTrimmed();
      }
    }, TRIMMED_TOLD_MS);
    trimWindow.unref();
  };
  a.trace.onTrimmed = () => {
    if (trimWindow === undefined) tellTrimmed();
    else trimmedInWindow = true;
  };
  stops.push(() => clearTimeout(trimWindow));
  a.cdr.onChanged = (c) => hub.emit('cdr', { ...c, at: Date.now() });
  const users = new UsersChanges(a.db, (e) => hub.emit('users', e));
  users.start();
  // A change made here is told as soon as its statement is done, not at the next second's look.
  stops.push(a.mml.onExecuted(() => users.check()));
  return () => {
    for (const stop of stops) stop();
    users.stop();
    a.trace.onCleared = undefined;
    a.trace.onTrimmed = undefined;
    a.cdr.onChanged = undefined;
  };
}
