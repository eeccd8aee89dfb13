// A view that shows what others can change (settings, users, CDR rows, the trace) follows the change
// topic the appliance tells them on (core/change-events.ts), whoever made them: another console, the
// `mml` CLI, a script, a CLI run beside the server. A pattern over the commands this console saw on the
// mml topic missed every command it did not name (SET TRACE changes settings too) and every change made
// without MML.
import { useEffect, useRef } from 'react';
import type { TopicEvents } from '../../../core/control/contract';
import { useClient } from '../store/shell';

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
