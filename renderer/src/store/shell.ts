// Shell state: which view is open, and what the transport reported about the appliance.
import { create } from 'zustand';
import type { TransportKind } from '../api/transport';
import type { ViewId } from '../views/catalog';

interface ShellState {
  view: ViewId;
  transport: TransportKind;
  /** null until the transport has answered. */
  version: string | null;
  selectView(view: ViewId): void;
  setTransport(transport: TransportKind): void;
  setVersion(version: string): void;
}

export const useShellStore = create<ShellState>()((set) => ({
  view: 'mml',
  transport: 'headless',
  version: null,
  selectView: (view) => set({ view }),
  setTransport: (transport) => set({ transport }),
  setVersion: (version) => set({ version }),
}));
