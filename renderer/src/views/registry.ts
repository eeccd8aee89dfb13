// The views the operator can open, in navigation order. Adding a view is one entry here (and a folder
// under views/ with its component): navigation, lazy loading and the panel follow from this list.
import { createElement, lazy, type ComponentType } from 'react';
import type { MessageKey } from '../i18n/i18n';
import { reloadIfStale, StalePageError } from './stale-page';

export type ViewId =
  | 'overview'
  | 'mml'
  | 'users'
  | 'registrations'
  | 'calls'
  | 'cdr'
  | 'dialer'
  | 'trace'
  | 'performance'
  | 'configuration'
  | 'logs';

export interface ViewEntry {
  readonly id: ViewId;
  readonly label: MessageKey;
  /** Short mnemonic beside the label, in the style of MML object names. */
  readonly code: string;
  readonly component: ComponentType;
}

const failedLoads = new Set<() => void>();

/**
 * React.lazy whose failed load (the chunk not fetched: the server away) can be tried again: React.lazy
 * keeps a failure for good, so retryFailedViews() makes the failed ones anew, and their next render
 * fetches the chunk again. A server restarted with another build has not the chunk any more: the page is
 * reloaded (stale-page.ts).
 */
function retryableLazy(load: () => Promise<{ default: ComponentType }>): ComponentType {
  const make = () =>
    lazy(() =>
      load().catch(async (error: unknown) => {
        failedLoads.add(renew);
        // The server upgraded under this page: its chunk is gone for good, the page is reloaded.
        const page = await reloadIfStale();
        if (page === 'reloading') return new Promise<never>(() => undefined); // "Loading" until it does
        throw page === 'stale' ? new StalePageError(error) : error;
      }),
    );
  const renew = () => {
    current = make();
  };
  let current = make();
  return function RetryableLazy() {
    return createElement(current);
  };
}

/** Lets the views whose chunk failed to load fetch it again when next rendered. */
export function retryFailedViews(): void {
  for (const renew of failedLoads) renew();
  failedLoads.clear();
}

export const VIEWS: readonly ViewEntry[] = [
  {
    id: 'overview',
    label: 'view.overview',
    code: 'OVW',
    component: retryableLazy(() => import('./overview/OverviewView')),
  },
  {
    id: 'mml',
    label: 'view.mml',
    code: 'MML',
    component: retryableLazy(() => import('./terminal/TerminalView')),
  },
  {
    id: 'users',
    label: 'view.users',
    code: 'USR',
    component: retryableLazy(() => import('./users/UsersView')),
  },
  {
    id: 'registrations',
    label: 'view.registrations',
    code: 'REG',
    component: retryableLazy(() => import('./registrations/RegistrationsView')),
  },
  {
    id: 'calls',
    label: 'view.calls',
    code: 'CAL',
    component: retryableLazy(() => import('./calls/CallsView')),
  },
  { id: 'cdr', label: 'view.cdr', code: 'CDR', component: retryableLazy(() => import('./cdr/CdrView')) },
  {
    id: 'dialer',
    label: 'view.dialer',
    code: 'DIA',
    component: retryableLazy(() => import('./dialer/DialerView')),
  },
  {
    id: 'trace',
    label: 'view.trace',
    code: 'TRC',
    component: retryableLazy(() => import('./trace/TraceView')),
  },
  {
    id: 'performance',
    label: 'view.performance',
    code: 'PRF',
    component: retryableLazy(() => import('./performance/PerformanceView')),
  },
  {
    id: 'configuration',
    label: 'view.configuration',
    code: 'CFG',
    component: retryableLazy(() => import('./configuration/ConfigurationView')),
  },
  { id: 'logs', label: 'view.logs', code: 'LOG', component: retryableLazy(() => import('./logs/LogsView')) },
];

export function viewById(id: ViewId): ViewEntry {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
}
