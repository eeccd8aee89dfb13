// The views the operator can open, in navigation order. Adding a view is one entry here (and a folder
// under views/ with its component): navigation, lazy loading and the panel follow from this list.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { MessageKey } from '../i18n/i18n';

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
  readonly component: LazyExoticComponent<ComponentType>;
}

export const VIEWS: readonly ViewEntry[] = [
  {
    id: 'overview',
    label: 'view.overview',
    code: 'OVW',
    component: lazy(() => import('./overview/OverviewView')),
  },
  { id: 'mml', label: 'view.mml', code: 'MML', component: lazy(() => import('./terminal/TerminalView')) },
  { id: 'users', label: 'view.users', code: 'USR', component: lazy(() => import('./users/UsersView')) },
  {
    id: 'registrations',
    label: 'view.registrations',
    code: 'REG',
    component: lazy(() => import('./registrations/RegistrationsView')),
  },
  { id: 'calls', label: 'view.calls', code: 'CAL', component: lazy(() => import('./calls/CallsView')) },
  { id: 'cdr', label: 'view.cdr', code: 'CDR', component: lazy(() => import('./cdr/CdrView')) },
  { id: 'dialer', label: 'view.dialer', code: 'DIA', component: lazy(() => import('./dialer/DialerView')) },
  { id: 'trace', label: 'view.trace', code: 'TRC', component: lazy(() => import('./trace/TraceView')) },
  {
    id: 'performance',
    label: 'view.performance',
    code: 'PRF',
    component: lazy(() => import('./performance/PerformanceView')),
  },
  {
    id: 'configuration',
    label: 'view.configuration',
    code: 'CFG',
    component: lazy(() => import('./configuration/ConfigurationView')),
  },
  { id: 'logs', label: 'view.logs', code: 'LOG', component: lazy(() => import('./logs/LogsView')) },
];

export function viewById(id: ViewId): ViewEntry {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
}
