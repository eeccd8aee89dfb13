// Renderer entry: pick the transport, ask it for the version, render the shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { detectTransport, UNKNOWN_VERSION } from './api/transport';
import { useShellStore } from './store/shell';
import './styles.css';

const transport = detectTransport();
const shell = useShellStore.getState();
shell.setTransport(transport.kind);
transport.version().then(shell.setVersion, () => shell.setVersion(UNKNOWN_VERSION));

const root = document.getElementById('root');
if (!root) throw new Error('renderer: #root element missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
