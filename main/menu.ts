// The application menu: the usual Edit and View roles (copy/paste in the MML terminal, zoom, reload,
// full screen, developer tools), Window (no Close off macOS: there closing the window stops the
// server), and Help with an About box.
import type { BrowserWindow, MenuItemConstructorOptions } from 'electron';
import { Menu, dialog } from 'electron';

export interface AboutInfo {
  version: string;
  dataDir: string;
  /** process.versions (electron, chrome, node). */
  versions: Record<string, string | undefined>;
}

export function aboutDetail(info: AboutInfo): string {
  const v = info.versions;
  return [
    'A SIP lab appliance: RFC 3261 registrar and stateful proxy, CDR, MML, auto dialer.',
    '',
    `Electron ${v.electron ?? '?'}, Chromium ${v.chrome ?? '?'}, Node ${v.node ?? '?'}`,
    `Data: ${info.dataDir}`,
  ].join('\n');
}

/** Shows the About box, attached to the window when there is one. */
export async function showAbout(info: AboutInfo, win: BrowserWindow | null): Promise<void> {
  const options = {
    type: 'info' as const,
    title: 'About IMS Lab',
    message: `IMS Lab ${info.version}`,
    detail: aboutDetail(info),
    buttons: ['OK'],
  };
  await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

export function menuTemplate(isMac: boolean, about: () => void): MenuItemConstructorOptions[] {
  const aboutItem: MenuItemConstructorOptions = { label: 'About IMS Lab', click: about };
  return [
    ...(isMac
      ? [
          {
            label: 'IMS Lab',
            submenu: [
              aboutItem,
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    // Not Electron's windowMenu role off macOS: its Close (Ctrl+W, readline's "delete word" in the MML
    // terminal) closed the window and so stopped the SIP server; Quit (Ctrl+Q) is in the File menu.
    isMac ? { role: 'windowMenu' } : { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'zoom' }] },
    // On macOS About sits in the app menu above.
    ...(isMac ? [] : [{ role: 'help', submenu: [aboutItem] } satisfies MenuItemConstructorOptions]),
  ];
}

export function installMenu(isMac: boolean, about: () => void): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(isMac, about)));
}
