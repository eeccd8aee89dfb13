// Renderer entry: pick the transport once (the preload's window.ims in Electron, a WebSocket to /ws in
// a browser), open the session (after a login in the browser), render the console.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { forgetToken, logout, savedToken, sessionValid, wsUrl } from './api/auth';
import { ControlClient } from './api/client';
import { ipcTransport } from './api/ipc-transport';
import { headlessVersion, isDesktop, UNKNOWN_VERSION } from './api/transport';
import { wsTransport } from './api/ws-transport';
import { serverTimeAt, setServerClock } from './components/local-time';
import { useShell } from './store/shell';
import { retryFailedViews } from './views/registry';
import './styles.css';

const shell = useShell.getState();
let unwatch: (() => void) | undefined;

/**
 * The server's time zone and clock, asked at each connection and each minute while connected (a clock
 * stepped on either side): the console shows and counts on the server's clock.
 */
function learnClockZone(client: ControlClient): void {
  const asked = Date.now();
  client.snapshot('status').then(
    (status) => {
      // Half the round trip: the server read its clock about midway.
      setServerClock(status.serverTime, (asked + Date.now()) / 2);
      useShell.getState().setClockZone(status.timeZone);
    },
    // Not answered: the zone known before stays, else the browser's own (asked again at the next connection).
    () => useShell.getState().setClockZone(useShell.getState().clockZone ?? ''),
  );
}

let clockTimer: ReturnType<typeof setInterval> | undefined;

function open(client: ControlClient, token: string | null): void {
  unwatch?.();
  clearInterval(clockTimer);
  clockTimer = setInterval(() => {
    if (client.state === 'connected') learnClockZone(client);
  }, 60_000);
  retryFailedViews(); // a view that failed while the server was away loads anew in the new session
  unwatch = client.transport.onState((s) => {
    const heard = client.transport.heardAt;
    useShell.getState().setConnection(s, heard === null ? undefined : serverTimeAt(heard));
    if (s === 'connected') learnClockZone(client);
  });
  useShell.getState().setSession({ kind: 'open', token }, client);
  useShell.getState().setConnection(client.state);
  if (client.state === 'connected') learnClockZone(client);
}

function openBrowser(token: string): void {
  const client = new ControlClient(
    wsTransport({
      url: wsUrl(token),
      checkSession: () => sessionValid(token),
      onUnauthorized: () => {
        forgetToken();
        client.close();
        useShell.getState().setSession({ kind: 'login', notice: 'expired' });
      },
      version: headlessVersion,
    }),
  );
  open(client, token);
}

function closeBrowser(): void {
  const s = useShell.getState();
  const token = s.session.kind === 'open' ? s.session.token : null;
  unwatch?.();
  s.client?.close();
  s.setSession({ kind: 'login' });
  if (token) void logout(token);
}

let desktop = false;
if (isDesktop()) {
  desktop = true;
  shell.setTransport('desktop');
  const client = new ControlClient(ipcTransport(window.ims!));
  open(client, null);
  client.transport.version().then(shell.setVersion, () => shell.setVersion(UNKNOWN_VERSION));
} else {
  shell.setTransport('headless');
  headlessVersion().then(shell.setVersion, () => shell.setVersion(UNKNOWN_VERSION));
  const token = savedToken();
  if (token) openBrowser(token);
}

const root = document.getElementById('root');
if (!root) throw new Error('renderer: #root element missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App onToken={openBrowser} onLogout={desktop ? undefined : closeBrowser} />
  </StrictMode>,
);
