// The console's downloads on the desktop: the EXP command writes its file into the data folder as ever,
// then the download asks main ('ims:save-export', the preload's saveExport) for the operating system's
// Save dialog (Electron's dialog.showSaveDialog, on the window, in the Downloads folder, the file's
// type as its filter) and a copy where the user said; Cancel writes nothing. Only a bare name of a file
// an EXP command writes is taken, and only from the app's own window. Before, a desktop export was
// written into the data folder and nothing more: no Save dialog, no file where the user wanted it.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ExecuteResult } from '../../../core/control/contract';
import * as electron from './fake-electron';
import { invokeFrom, launch, theWindow, useDesktop } from './harness';

vi.mock('electron', () => import('./fake-electron'));

useDesktop();

async function exported(mml: string, file: RegExp): Promise<string> {
  const answer = (await invokeFrom(theWindow(), 'ims:request', { op: 'execute', mml })) as {
    result: ExecuteResult;
  };
  const text = answer.result.results[0]!.message;
  const name = file.exec(text)?.[1];
  if (name === undefined) throw new Error(`no export file in: ${text}`);
  return name;
}

describe('a console download on the desktop', () => {
  it('asks where with the Save dialog and copies the export there; Cancel writes nothing', async () => {
    await launch();
    const win = theWindow();
    const users = await exported('EXP USER', /(users_export_[\w-]+\.json)/);
    const written = join(electron.app.userData, 'data', 'exports', users);
    expect(existsSync(written)).toBe(true); // EXP USER's own file, where it always went

    const chosen = join(electron.app.appData, 'chosen-users.json');
    electron.dialog.savePath = chosen;
    expect(await invokeFrom(win, 'ims:save-export', users)).toEqual({ saved: true, path: chosen });
    expect(readFileSync(chosen, 'utf8')).toBe(readFileSync(written, 'utf8'));
    expect(electron.dialog.saveDialogs).toEqual([
      {
        window: win,
        options: {
          defaultPath: join(electron.app.appData, 'Downloads', users),
          filters: [{ name: 'JSON', extensions: ['json'] }],
        },
      },
    ]);

    // Cancel: nothing written, nothing said wrong.
    electron.dialog.savePath = undefined;
    const config = await exported('EXP CFG', /(config_export_[\w-]+\.json)/);
    expect(await invokeFrom(win, 'ims:save-export', config)).toEqual({ saved: false });
    expect(electron.dialog.saveDialogs).toHaveLength(2);
    expect(existsSync(join(electron.app.appData, 'Downloads', config))).toBe(false);
  });

  it('takes only the bare name of an export file, from the app’s own window only', async () => {
    await launch();
    const win = theWindow();
    electron.dialog.savePath = join(electron.app.appData, 'stolen');
    for (const file of ['../ims-lab.db', 'ims-lab.db', '/etc/passwd', 'exports/x.json', 42]) {
      const answer = (await invokeFrom(win, 'ims:save-export', file)) as { saved: boolean; error: string };
      expect(answer).toEqual({ saved: false, error: `${JSON.stringify(file)} is not an export file` });
    }
    expect(electron.dialog.saveDialogs).toHaveLength(0);
    expect(existsSync(join(electron.app.appData, 'stolen'))).toBe(false);
    // Another page (a frame, or a page that is not the app's) is not answered.
    const users = await exported('EXP USER', /(users_export_[\w-]+\.json)/);
    const frame = new electron.FakeFrame('https://evil.example/', win.webContents.mainFrame);
    await expect(electron.ipcMain.invoke(win.webContents, frame, 'ims:save-export', users)).rejects.toThrow(
      /not an IMS Lab window/,
    );
    expect(electron.dialog.saveDialogs).toHaveLength(0);
  });

  // The Logs view's download of a day's whole log file (DSP LOG shows 1,000 records a page).
  it("saves a day's log file where the user says; only under the name the Logs view gives it", async () => {
    await launch();
    const win = theWindow();
    const day = new Date().toLocaleDateString('sv');
    const written = join(electron.app.userData, 'data', 'logs', day, 'ims-sip-server.log');
    mkdirSync(join(written, '..'), { recursive: true });
    appendFileSync(written, `${day} 12:00:00.000 [INFO    ] [appliance] a line of the day\n`);
    const chosen = join(electron.app.appData, 'chosen.log');
    electron.dialog.savePath = chosen;
    const name = `ims-sip-server_${day}.log`;
    expect(await invokeFrom(win, 'ims:save-export', name)).toEqual({ saved: true, path: chosen });
    expect(readFileSync(chosen, 'utf8')).toContain('a line of the day');
    expect(electron.dialog.saveDialogs.at(-1)!.options).toEqual({
      defaultPath: join(electron.app.appData, 'Downloads', name),
      filters: [{ name: 'Log', extensions: ['log'] }],
    });
    for (const file of ['ims-sip-server.log', `../logs/${day}/ims-sip-server.log`, 'ims-sip-server_x.log'])
      expect(await invokeFrom(win, 'ims:save-export', file)).toEqual({
        saved: false,
        error: `${JSON.stringify(file)} is not an export file`,
      });
  });

  it('says why when the copy cannot be written there', async () => {
    await launch();
    const users = await exported('EXP USER', /(users_export_[\w-]+\.json)/);
    const chosen = join(electron.app.appData, 'no-such-folder', 'u.json');
    electron.dialog.savePath = chosen;
    expect(await invokeFrom(theWindow(), 'ims:save-export', users)).toEqual({
      saved: false,
      error: `${chosen}: ENOENT`,
    });
  });
});
