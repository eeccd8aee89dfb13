// A view that shows what others can change (settings, users, CDR rows, the trace) follows the change
// topic the appliance tells them on (core/change-events.ts), whoever made them: another console, the
// `mml` CLI, a script, a CLI run beside the server. A pattern over the commands this console saw on the
// mml topic missed every command it did not name (SET TRACE changes settings too) and every change made
// without MML.
import { useEffect, useRef } from 'react';
import type { TopicEvents } from '../../../core/control/contract';
import { useClient } from '../store/shell';
import { reloadGate, type ReloadGate } from './reload-gate';

/** The topics that say what a view shows changed. */
export type ChangeTopic = 'config' | 'users' | 'cdr' | 'traceState';

/**
 * Calls `changed` with each batch of the topic's events while the view is open. The latest `changed` is
 * called (a view's load follows its filters) without following the topic anew each time it changes.
 */
export function useChanges<T extends ChangeTopic>(
  topic: T,
  changed: (events: TopicEvents[T][]) => void,
): void {
  const client = useClient();
  const latest = useRef(changed);
  useEffect(() => {
    latest.current = changed;
  }, [changed]);
  useEffect(
    () =>
      client.follow(topic, {
        events: (data) => latest.current(data),
        // A reconnect reloads each view already (useReloadWhenBack); its first load is its own.
        resync: () => undefined,
      }),
    [client, topic],
  );
}

/**
 * Reloads on the topic's changes, at most once every `everyMs` (reload-gate.ts): the first change at once,
 * those within the window once at its end. A script's hundred MOD USERs made every open Users view read a
 * 1,000-user page four times a second, each read the server's work on the loop SIP shares.
 */
export function useReloadOnChanges(topic: ChangeTopic, load: () => void, everyMs: number): void {
  const latest = useRef(load);
  useEffect(() => {
    latest.current = load;
  }, [load]);
  const gate = useRef<ReloadGate | undefined>(undefined);
  useEffect(() => {
    const g = reloadGate(() => latest.current(), everyMs);
    gate.current = g;
    return () => g.stop();
  }, [everyMs]);
  useChanges(topic, () => gate.current?.changed());
}
