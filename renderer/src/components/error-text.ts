// What a failed request says, in the console's language. The transports reject with fixed English
// words (api/transport.ts) that were shown as they were ("错误：not connected to the appliance").
import { useEffect } from 'react';
import { outcomeUnknown } from '../api/client';
import { CONNECTION_LOST, NOT_CONNECTED } from '../api/transport';
import type { MessageKey } from '../i18n/i18n';
import { useShell } from '../store/shell';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** It failed because the appliance was away: it says nothing once the console is connected again. */
export const isConnectionError = (message: string): boolean =>
  message === NOT_CONNECTED || message === CONNECTION_LOST;

/** A request's error message, a transport's own words translated. */
export function errorMessage(t: T, message: string): string {
  if (message === NOT_CONNECTED) return t('common.notConnected');
  if (message === CONNECTION_LOST) return t('common.connectionLost');
  return message;
}

/** What a thrown request error says: its outcome unknown (sent, never answered), or its message. */
export function thrownText(t: T, err: unknown): string {
  return outcomeUnknown(err) ? t('common.outcomeUnknown') : errorMessage(t, (err as Error).message);
}

/**
 * A dialog's error that said the appliance was away (offline) goes once the console is connected again,
 * as a view's outcome line does: it stayed under the Add user form after the reconnect.
 */
export function useGoneWhenBack(offline: boolean, clear: () => void): void {
  const live = useShell((s) => s.connection === 'connected');
  useEffect(() => {
    if (live && offline) clear();
  }, [live, offline, clear]);
}
