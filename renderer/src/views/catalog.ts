// The views the operator can open from the left navigation, in the order they are listed.
// Each one arrives with its own issue; until then the main panel shows a placeholder for it.

export type ViewId = 'mml' | 'users' | 'registrations' | 'calls' | 'cdr' | 'dialer' | 'performance' | 'logs';

export interface ViewEntry {
  readonly id: ViewId;
  readonly label: string;
  /** Short mnemonic shown beside the label, in the style of MML object names. */
  readonly code: string;
  readonly summary: string;
}

export const VIEWS: readonly ViewEntry[] = [
  {
    id: 'mml',
    label: 'MML Terminal',
    code: 'MML',
    summary: 'Type MML commands and read their results in the RETCODE style; command history.',
  },
  { id: 'users', label: 'Users', code: 'USR', summary: 'Subscribers and their digest credentials.' },
  {
    id: 'registrations',
    label: 'Registrations',
    code: 'REG',
    summary: 'Current bindings in the location service: contact, expiry, transport, NAT.',
  },
  { id: 'calls', label: 'Calls', code: 'CAL', summary: 'Live dialogs through the proxy and their state.' },
  { id: 'cdr', label: 'CDR', code: 'CDR', summary: 'Call detail records: search, filter, export to CSV.' },
  {
    id: 'dialer',
    label: 'Dialer',
    code: 'DIA',
    summary: 'Auto dialer campaigns: single, batch and ranges, with a WAV prompt over RTP.',
  },
  {
    id: 'performance',
    label: 'Performance',
    code: 'PRF',
    summary: 'CPU, memory, network and SIP message rates over time.',
  },
  { id: 'logs', label: 'Logs', code: 'LOG', summary: 'Appliance log and SIP message trace.' },
];

export function viewById(id: ViewId): ViewEntry {
  const view = VIEWS.find((v) => v.id === id);
  if (!view) throw new Error(`unknown view: ${id}`);
  return view;
}
