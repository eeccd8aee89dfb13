// The desktop home's lifecycle against a fake Electron and a real appliance: one instance, the
// appliance's data in userData, one window, a clean shutdown on quit before the app exits.
import { createSocket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STOP_TIMEOUT_MS, startDesktopApp, type DesktopApp } from '../../../main/desktop-app';
import { IMS_VERSION } from '../../../core/version';
import { menuTemplate } from '../../../main/menu';
import { DATABASE_FILE } from '../../../core/store/database';
import { localStamp } from '../../../core/observe/logger';
import type { ExecuteResult, MmlResultData } from '../../../core/control/contract';
import { Appliance } from '../../../core/appliance';
import { rendererResponse, STARTING_URL } from '../../../main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../main/security';
import * as electron from './fake-electron';
import { TEST_ENV, invokeFrom, launch, theWindow, useDesktop } from './harness';

vi.mock('electron', () => import('./fake-electron'));

const PLATFORM = Object.getOwnPropertyDescriptor(process, 'platform')!;
/** process.platform reads 'darwin' for this test. */
function onMac(): void {
  Object.defineProperty(process, 'platform', { ...PLATFORM, value: 'darwin' });
}
afterEach(() => {
  Object.defineProperty(process, 'platform', PLATFORM);
  vi.restoreAllMocks();
});

useDesktop();

describe('start-up', () => {
  it('starts the appliance with its data under userData and opens one window on app://ims', async () => {
    const desk = await launch();
    const appliance = desk.appliance();
    expect(appliance).toBeDefined();
    // Run from the project or packaged, the same folder: <appData>/IMS Lab.
    expect(electron.app.userData).toBe(join(electron.app.appData, 'IMS Lab'));
    expect(electron.app.name).toBe('IMS Lab');
    expect(existsSync(join(electron.app.userData, 'data', DATABASE_FILE))).toBe(true);
    const win = theWindow();
    // The page saying IMS Lab is starting first, then the console once the appliance ran.
    expect(win.loaded).toEqual(['app://ims/starting.html', 'app://ims/index.html']);
    expect(await invokeFrom(win, 'ims:version')).toBe(IMS_VERSION);
    const answer = (await invokeFrom(win, 'ims:request', { op: 'execute', mml: 'DSP USER' })) as {
      ok: boolean;
      result: unknown;
    };
    expect(answer.ok).toBe(true);
    // The default users, read from the SQLite file in userData.
    expect(JSON.stringify(answer.result)).toContain('1001');
  });

  it('serves no HTTP, and SET CFG of HTTP.* says so rather than promising it after a restart', async () => {
    await launch();
    const execute = async (mml: string, lang: 'en' | 'zh' = 'en'): Promise<MmlResultData> => {
      const answer = (await invokeFrom(theWindow(), 'ims:request', { op: 'execute', mml, lang })) as {
        ok: boolean;
        result: ExecuteResult;
      };
      expect(answer.ok).toBe(true);
      return answer.result.results[0]!;
    };
    const set = await execute('SET CFG KEY=HTTP.PORT VALUE=23030');
    expect(set.retcode).toBe(0);
    expect(set.message).toBe(
      'HTTP.PORT = 23030 (was 8888); the desktop app serves no HTTP (no browser console, /metrics or mml scripting): the setting is for the headless server on this data folder; not saved yet: SAVE CFG writes it to config.json',
    );
    expect(set.restartNeeded).toBe(false);
    const shown = await execute('DSP CFG KEY=HTTP.PORT');
    const columns = shown.tables[0]!.columns.map((c) => c.name);
    const row = shown.tables[0]!.rows.find((r) => r[0] === 'HTTP.PORT')!;
    expect(row[columns.indexOf('Pending')]).toBe(false);
    expect((await execute('SET CFG KEY=HTTP.HOST VALUE=127.0.0.1', 'zh')).message).toContain(
      '桌面应用不提供 HTTP 服务',
    );
    // The desktop's other settings still wait for their restart.
    expect((await execute('SET CFG KEY=SIP.TLS_PORT VALUE=5999')).message).toContain(
      'it takes effect after a restart',
    );
  });

  it('DIALER.MEDIA_FILE: run from `/` (a packaged macOS app), a WAV elsewhere on the host is refused; the app’s media/ is not', async () => {
    const project = process.cwd();
    vi.spyOn(electron.app, 'getAppPath').mockReturnValue(project);
    vi.spyOn(process, 'cwd').mockReturnValue('/');
    await launch();
    const execute = async (mml: string): Promise<MmlResultData> => {
      const answer = (await invokeFrom(theWindow(), 'ims:request', { op: 'execute', mml })) as {
        result: ExecuteResult;
      };
      return answer.result.results[0]!;
    };
    const elsewhere = join(electron.app.appData, 'outside.wav');
    copyFileSync(join(project, 'media', 'default.wav'), elsewhere);
    expect(await execute(`SET CFG KEY=DIALER.MEDIA_FILE VALUE="${elsewhere}"`)).toMatchObject({
      retcode: 3,
      message: expect.stringContaining("outside the data folder and the app's folders") as unknown,
    });
    // A relative name is looked for in the data folder and the app's folders only: not found, nothing
    // probed (`/etc/passwd: not a WAV file` said the file was there).
    for (const file of [elsewhere.slice(1), 'etc/passwd']) {
      const answer = await execute(`SET CFG KEY=DIALER.MEDIA_FILE VALUE="${file}"`);
      expect(answer.retcode).toBe(3);
      expect(answer.message).toContain(`${file}: no such file in `);
    }
    // The original's name for its prompt, in the app's media/.
    expect((await execute('SET CFG KEY=DIALER.MEDIA_FILE VALUE="media/default.wav"')).retcode).toBe(0);
  });

  it('IMP USER of a file outside the data folder names the folder, not the headless CLI the desktop lacks', async () => {
    await launch();
    const dataDir = join(electron.app.userData, 'data');
    const execute = async (mml: string, lang: 'en' | 'zh'): Promise<MmlResultData> => {
      const answer = (await invokeFrom(theWindow(), 'ims:request', { op: 'execute', mml, lang })) as {
        result: ExecuteResult;
      };
      return answer.result.results[0]!;
    };
    const en = await execute('IMP USER FILE="/etc/hostname"', 'en');
    expect(en.retcode).toBe(3);
    expect(en.message).toBe(
      `Parameter FILE: /etc/hostname is outside the data folder ${dataDir}: put the file there`,
    );
    const zh = await execute('IMP USER FILE="/etc/hostname"', 'zh');
    expect(zh.message).toContain(`/etc/hostname 不在数据目录 ${dataDir} 内: 请把文件放到那里`);
    expect(zh.message).not.toContain('node core/server.js');
  });

  it('IMS_DATA_DIR overrides where the data goes', async () => {
    const dir = join(electron.app.userData, 'elsewhere');
    await launch({ ...TEST_ENV, IMS_DATA_DIR: dir });
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
    expect(existsSync(join(electron.app.userData, 'data'))).toBe(false);
  });

  it('a bad setting stops start-up with a dialog naming it, and the app exits 1', async () => {
    const desk = startDesktopApp({
      rendererDir: '/nowhere',
      preloadPath: '/nowhere/preload.js',
      env: { ...TEST_ENV, SIP_PORT: 'five' },
      console: false,
    })!;
    electron.app.becomeReady();
    await desk.ready;
    expect(electron.dialog.errorBoxes).toHaveLength(1);
    expect(electron.dialog.errorBoxes[0]!.content).toMatch(/SIP_PORT/);
    // Set where the app was started from: that is where it changes.
    expect(electron.dialog.errorBoxes[0]!.content).toContain(
      'SIP_PORT is set in the environment IMS Lab was started from: change or remove it',
    );
    expect(electron.app.exitCode).toBe(1);
    expect(electron.BrowserWindow.getAllWindows()).toHaveLength(0);
    expect(desk.appliance()).toBeUndefined();
  });

  it('a port in use says where the desktop user changes it: config.json in the data folder', async () => {
    const blocker = createSocket('udp4');
    await new Promise<void>((resolve) => blocker.bind(0, '127.0.0.1', resolve));
    try {
      const dataDir = join(electron.app.appData, 'IMS Lab', 'data');
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ 'SIP.PORT': blocker.address().port }));
      const desk = startDesktopApp({
        rendererDir: '/nowhere',
        preloadPath: '/nowhere/preload.js',
        env: { ...TEST_ENV, SIP_PORT: undefined, SIP_TLS_PORT: '0', SIP_WS_PORT: '0', SIP_WSS_PORT: '0' },
        console: false,
      })!;
      electron.app.becomeReady();
      await desk.ready;
      expect(electron.app.exitCode).toBe(1);
      const content = electron.dialog.errorBoxes[0]!.content;
      expect(content).toMatch(/^configuration error: SIP\.PORT: UDP 127\.0\.0\.1:\d+ is already in use/);
      expect(content).toContain(
        `To change SIP.PORT: edit ${join(dataDir, 'config.json')} (JSON; create it if missing: {"SIP.PORT": 5070}), or set SIP_PORT in the environment, then start IMS Lab again.`,
      );
    } finally {
      blocker.close();
    }
  });

  it('a data folder that cannot be one gets the headless server’s words, not a raw EEXIST', async () => {
    const file = join(electron.app.userData, 'a-file');
    mkdirSync(electron.app.userData, { recursive: true });
    writeFileSync(file, 'not a folder');
    const desk = startDesktopApp({
      rendererDir: '/nowhere',
      preloadPath: '/nowhere/preload.js',
      env: { ...TEST_ENV, IMS_DATA_DIR: file },
      console: false,
    })!;
    electron.app.becomeReady();
    await desk.ready;
    expect(electron.dialog.errorBoxes.map((b) => b.content.split('\n')[0])).toEqual([
      `data folder IMS_DATA_DIR=${file} cannot be used: ${file}: it is a file, not a folder (EEXIST)`,
    ]);
    expect(electron.app.exitCode).toBe(1);
  });

  it('IMS_DATA_DIR with a blank whose untrimmed folder an older build used is refused, naming both', async () => {
    // Builds before round 37 made "<dir> " from `IMS_DATA_DIR=<dir> `; this one would start on <dir>, new.
    const dir = join(electron.app.userData, 'bench');
    mkdirSync(`${dir} `, { recursive: true });
    writeFileSync(join(`${dir} `, DATABASE_FILE), '');
    const desk = startDesktopApp({
      rendererDir: '/nowhere',
      preloadPath: '/nowhere/preload.js',
      env: { ...TEST_ENV, IMS_DATA_DIR: `${dir} ` },
      console: false,
    })!;
    electron.app.becomeReady();
    await desk.ready;
    const content = electron.dialog.errorBoxes[0]!.content;
    expect(content).toContain(`has a blank around it: this IMS Lab takes it as ${dir}, `);
    expect(content).toContain(`mv "${dir} " ${dir}`);
    expect(electron.app.exitCode).toBe(1);
    expect(existsSync(dir)).toBe(false);
  });

  it('a second instance quits at once and focuses the first one', async () => {
    await launch();
    const win = theWindow();
    win.minimized = true;
    electron.app.emit('second-instance', electron.fakeEvent(), [], '/');
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(true);

    // The second process: no lock, so it registers nothing and quits.
    electron.resetFakeElectron();
    electron.app.hasLock = false;
    const second = startDesktopApp({
      rendererDir: '/r',
      preloadPath: '/p.js',
      env: TEST_ENV,
      console: false,
    });
    expect(second).toBeUndefined();
    expect(electron.app.exitCode).toBe(0);
    expect(electron.app.listenerCount('will-quit')).toBe(0);
  });

  it('macOS: a second launch with the window closed (the app in the dock) opens it again, focused', async () => {
    onMac();
    const desk = await launch();
    theWindow().close();
    expect(electron.BrowserWindow.getAllWindows()).toHaveLength(0);
    expect(electron.app.exitCode).toBeUndefined();
    electron.app.emit('second-instance', electron.fakeEvent(), [], '/');
    const win = theWindow();
    expect(desk.window()).toBe(win);
    await vi.waitFor(() => expect(win.visible).toBe(true));
    expect(win.focused).toBe(true);
  });

  it('shows its window before the appliance has started, saying so, then the console in it', async () => {
    // The appliance's start held until the test lets it go (the start-up rehearsal takes 4-5 s). Before,
    // no window was made until it had started: a launch showed nothing for that long.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const start = Appliance.prototype.start;
    const spy = vi.spyOn(Appliance.prototype, 'start').mockImplementation(async function (this: Appliance) {
      await held;
      return start.call(this);
    });
    const desk = startDesktopApp({ rendererDir: '/r', preloadPath: '/p.js', env: TEST_ENV, console: false })!;
    electron.app.becomeReady();
    await vi.waitFor(() => expect(spy).toHaveBeenCalled());
    const win = theWindow();
    await vi.waitFor(() => expect(win.visible).toBe(true));
    expect(win.loaded).toEqual([STARTING_URL]);
    expect(desk.appliance()).toBeUndefined();
    // The page is main's own, under the app's CSP, with no script; it says what is happening.
    const page = await rendererResponse('/r', 'GET', STARTING_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const html = await page.text();
    expect(html).toContain('Starting IMS Lab…');
    expect(html).not.toContain('<script');
    // A second launch meanwhile focuses it at once.
    electron.app.emit('second-instance', electron.fakeEvent(), [], '/');
    expect(win.focused).toBe(true);
    release();
    await desk.ready;
    // The same window, now on the console.
    expect(theWindow()).toBe(win);
    expect(win.loaded).toEqual([STARTING_URL, 'app://ims/index.html']);
    expect(desk.appliance()).toBeDefined();
  });

  it('a start that fails once the window is up hides it behind the dialog, and the app exits 1', async () => {
    const spy = vi.spyOn(Appliance.prototype, 'start').mockRejectedValue(new Error('disk on fire'));
    const desk = startDesktopApp({ rendererDir: '/r', preloadPath: '/p.js', env: TEST_ENV, console: false })!;
    electron.app.becomeReady();
    await desk.ready;
    expect(spy).toHaveBeenCalled();
    expect(electron.dialog.errorBoxes.map((b) => b.title)).toEqual(['IMS Lab could not start']);
    expect(electron.dialog.errorBoxes[0]!.content).toContain('disk on fire');
    expect(electron.app.exitCode).toBe(1);
    const win = theWindow();
    expect(win.visible).toBe(false);
    expect(win.loaded).toEqual([STARTING_URL]); // no console
  });
});

describe('quit', () => {
  it('stops the appliance (CDR written, database closed) before the app exits', async () => {
    const desk = await launch();
    const appliance = desk.appliance()!;
    const stop = vi.spyOn(appliance, 'stop');
    let databaseOpenAtExit: boolean | undefined;
    electron.app.on('quit', () => (databaseOpenAtExit = appliance.db.open));

    electron.app.quit();
    // will-quit was held back: the app has not exited yet.
    expect(electron.app.exitCode).toBeUndefined();
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(stop).toHaveBeenCalledOnce();
    expect(databaseOpenAtExit).toBe(false);
    const db = join(electron.app.userData, 'data', DATABASE_FILE);
    expect(existsSync(`${db}-wal`)).toBe(false);
    expect(desk.appliance()).toBeUndefined();
    // The window was closed on the way out and its state remembered.
    expect(existsSync(join(electron.app.userData, 'window-state.json'))).toBe(true);
  });

  it('Windows: a shutdown or log-off (session-end, no will-quit) stops the appliance the same way, once', async () => {
    const desk = await launch();
    const appliance = desk.appliance()!;
    const stop = vi.spyOn(appliance, 'stop');
    const win = theWindow();
    win.endSession();
    // Said twice (or followed by a quit), it stops once.
    win.endSession();
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(appliance.db.open).toBe(false);
    expect(stop).toHaveBeenCalledOnce();
    expect(desk.appliance()).toBeUndefined();
  });

  it('closing the last window quits the same way (not on macOS)', async () => {
    if (process.platform === 'darwin') return;
    const desk = await launch();
    const appliance = desk.appliance()!;
    theWindow().close();
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(appliance.db.open).toBe(false);
  });

  describe('with a dialer campaign running', () => {
    /** The desktop with a campaign placing calls (to numbers nobody registered, one a second). */
    async function campaignRunning(lang?: 'zh'): Promise<DesktopApp> {
      const desk = await launch();
      const mml = async (text: string): Promise<void> => {
        const answer = (await invokeFrom(theWindow(), 'ims:request', {
          op: 'execute',
          mml: text,
          ...(lang === undefined ? {} : { lang }),
        })) as {
          ok: boolean;
        };
        expect(answer.ok, text).toBe(true);
      };
      await mml('SET CFG KEY=DIALER.LOCAL_PORT VALUE=0');
      await mml('STR DIALSVC');
      await mml('STR CALL BATCH NUMBERS=7000-7999 CONCURRENCY=1 RATE=1');
      expect(desk.appliance()!.dialer.runningCampaigns).toBe(1);
      return desk;
    }

    it('closing the window asks first, in the console’s language; Cancel keeps it running', async () => {
      const desk = await campaignRunning('zh');
      const win = theWindow();
      electron.dialog.response = 1;
      win.close();
      await vi.waitFor(() => expect(electron.dialog.messageBoxes).toHaveLength(1));
      expect(electron.dialog.messageBoxes[0]).toMatchObject({
        type: 'warning',
        message: expect.stringMatching(/1 个拨号任务正在运行：退出 IMS Lab 将结束该拨号任务。$/) as unknown,
        buttons: ['退出', '取消'],
        cancelId: 1,
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(win.isDestroyed()).toBe(false);
      expect(electron.app.exitCode).toBeUndefined();
      expect(desk.appliance()!.dialer.runningCampaigns).toBe(1);

      // Ctrl+Q (the menu's quit role: app.quit()) asks too; Quit ends it, cleanly.
      electron.dialog.response = 0;
      const appliance = desk.appliance()!;
      electron.app.quit();
      await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
      expect(electron.dialog.messageBoxes).toHaveLength(2);
      expect(appliance.db.open).toBe(false);
    });

    it('macOS: Cmd+Q with the window closed (the app in the dock) asks too, in a box of its own', async () => {
      onMac();
      const desk = await campaignRunning();
      theWindow().close(); // on macOS no quit: nothing to ask
      expect(electron.BrowserWindow.getAllWindows()).toHaveLength(0);
      expect(electron.dialog.messageBoxes).toHaveLength(0);
      electron.dialog.response = 1;
      electron.app.quit();
      await vi.waitFor(() => expect(electron.dialog.messageBoxes).toHaveLength(1));
      expect(electron.dialog.messageBoxes[0]!.message).toBe(
        'A dialer campaign is running; quitting IMS Lab ends it.',
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(electron.app.exitCode).toBeUndefined();
      expect(desk.appliance()!.dialer.runningCampaigns).toBe(1);

      electron.dialog.response = 0;
      const appliance = desk.appliance()!;
      electron.app.quit();
      await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
      expect(electron.dialog.messageBoxes).toHaveLength(2);
      expect(appliance.db.open).toBe(false);
    });

    it('asks in English when the console said no language, and a signal quits without asking', async () => {
      await campaignRunning();
      theWindow().close();
      await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
      expect(electron.dialog.messageBoxes.map((b) => [b.message, b.buttons])).toEqual([
        ['A dialer campaign is running; quitting IMS Lab ends it.', ['Quit', 'Cancel']],
      ]);

      electron.resetFakeElectron();
      const next = await campaignRunning();
      const appliance = next.appliance()!;
      next.quit();
      await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
      expect(electron.dialog.messageBoxes).toHaveLength(0);
      expect(appliance.db.open).toBe(false);
    });
  });

  it('a quit during start-up waits for the appliance, stops it and opens no console', async () => {
    const desk = startDesktopApp({
      rendererDir: '/r',
      preloadPath: '/p.js',
      env: TEST_ENV,
      console: false,
    })!;
    electron.app.becomeReady();
    electron.app.quit();
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    await desk.ready;
    const db = join(electron.app.userData, 'data', DATABASE_FILE);
    // It started (the file exists) and was closed (closing checkpoints and removes the WAL).
    expect(existsSync(db)).toBe(true);
    expect(existsSync(`${db}-wal`)).toBe(false);
    // The starting window was closed by the quit; the console never loaded.
    expect(electron.BrowserWindow.getAllWindows()).toHaveLength(0);
    expect(electron.BrowserWindow.all.flatMap((w) => w.loaded)).not.toContain('app://ims/index.html');
    expect(desk.appliance()).toBeUndefined();
  });

  it('a quit during the start-up rehearsal cuts it short', async () => {
    const desk = startDesktopApp({
      rendererDir: '/r',
      preloadPath: '/p.js',
      // Left alone, this rehearsal would run for its whole 4 s limit.
      env: { ...TEST_ENV, SIP_WARMUP_CALLS: '100000' },
      console: false,
    })!;
    electron.app.becomeReady();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const asked = Date.now();
    electron.app.quit();
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0), { timeout: 10_000 });
    expect(Date.now() - asked).toBeLessThan(2500);
    await desk.ready;
    expect(desk.appliance()).toBeUndefined();
  });

  it('exits 1 after STOP_TIMEOUT_MS if the appliance does not stop', async () => {
    const desk = await launch();
    const appliance = desk.appliance()!;
    const stop = vi.spyOn(appliance, 'stop').mockReturnValue(new Promise<void>(() => undefined));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      electron.app.quit();
      await vi.advanceTimersByTimeAsync(STOP_TIMEOUT_MS - 1);
      expect(electron.app.exitCode).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(electron.app.exitCode).toBe(1);
    } finally {
      vi.useRealTimers();
      stop.mockRestore();
      await appliance.stop();
    }
  });

  it('once the window has closed, its page is no longer answered', async () => {
    await launch();
    const win = theWindow();
    electron.app.quit();
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    await expect(invokeFrom(win, 'ims:request', { op: 'snapshot', name: 'status' })).rejects.toThrow(
      /not an IMS Lab window/,
    );
  });
});

describe('a defect in main (the SIP core runs there)', () => {
  it('an uncaught exception is logged, stops the appliance the usual way, says so in a dialog and exits 1', async () => {
    const faults = new EventEmitter();
    const desk = await launch({ ...TEST_ENV, LOG_LEVEL: 'INFO' }, { faults });
    const appliance = desk.appliance()!;
    const dataDir = join(electron.app.userData, 'data');
    faults.emit('uncaughtException', new TypeError('boom'), 'uncaughtException');
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(1));
    // Stopped as a quit stops it (CDR written, database closed), not left running in a broken state.
    expect(appliance.db.open).toBe(false);
    const logFile = join(dataDir, 'logs', localStamp(Date.now()).day, 'ims-sip-server.log');
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('[process] uncaught exception (a defect of IMS Lab): stopping: TypeError: boom');
    expect(log.trimEnd()).toMatch(/\[appliance\] stopped: calls ended, CDR rows written, database closed$/);
    expect(electron.dialog.errorBoxes).toEqual([
      {
        title: 'IMS Lab stopped after an internal error',
        content: `An error IMS Lab does not handle (a defect, please report it) stopped it:\n\nTypeError: boom\n\nThe details are in ${logFile}`,
      },
    ]);
    // No question about calls: the app cannot go on.
    expect(electron.dialog.messageBoxes).toHaveLength(0);
  });

  it('an unhandled rejection too; the dialog waits for the stop, bounded by STOP_TIMEOUT_MS', async () => {
    const faults = new EventEmitter();
    const desk = await launch(TEST_ENV, { faults });
    const appliance = desk.appliance()!;
    const stop = vi.spyOn(appliance, 'stop').mockReturnValue(new Promise<void>(() => undefined));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      faults.emit('unhandledRejection', new Error('lost'), Promise.resolve());
      await vi.advanceTimersByTimeAsync(STOP_TIMEOUT_MS - 1);
      expect(electron.app.exitCode).toBeUndefined();
      expect(electron.dialog.errorBoxes).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(electron.app.exitCode).toBe(1);
      expect(electron.dialog.errorBoxes[0]!.content).toContain('\n\nError: lost\n\nThe details are in ');
    } finally {
      vi.useRealTimers();
      stop.mockRestore();
      await appliance.stop();
    }
  });
});

describe('menu', () => {
  it("has no Ctrl+W off macOS, where closing the window stops the server (readline's delete-word)", () => {
    type Item = { role?: string; accelerator?: string; submenu?: Item[] };
    const items = (list: Item[]): Item[] => list.flatMap((i) => [i, ...items(i.submenu ?? [])]);
    const linux = items(menuTemplate(false, () => undefined) as Item[]);
    // windowMenu's default holds Close (CmdOrCtrl+W) on Windows and Linux.
    expect(linux.filter((i) => ['close', 'windowMenu'].includes(i.role ?? ''))).toEqual([]);
    expect(linux.filter((i) => /\+W$/i.test(i.accelerator ?? ''))).toEqual([]);
    expect(linux.some((i) => i.role === 'quit')).toBe(true);
    // macOS: closing the window leaves the app in the dock; Cmd+W stays.
    expect(items(menuTemplate(true, () => undefined) as Item[]).map((i) => i.role)).toContain('close');
  });

  it('has the Edit and View roles and an About box', async () => {
    await launch();
    const menu = electron.Menu.applicationMenu;
    expect(menu).not.toBeNull();
    type Item = { label?: string; role?: string; submenu?: Item[]; click?: () => void };
    const template = menu!.template as Item[];
    const roles = (label: string): string[] =>
      (template.find((m) => m.label === label)?.submenu ?? []).map((i) => i.role ?? '').filter(Boolean);
    expect(roles('Edit')).toEqual(
      expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']),
    );
    expect(roles('View')).toEqual(
      expect.arrayContaining([
        'reload',
        'toggleDevTools',
        'resetZoom',
        'zoomIn',
        'zoomOut',
        'togglefullscreen',
      ]),
    );
    const about = template.flatMap((m) => m.submenu ?? []).find((i) => i.label === 'About IMS Lab');
    expect(about).toBeDefined();
    about!.click!();
    await vi.waitFor(() => expect(electron.dialog.messageBoxes).toHaveLength(1));
    const box = electron.dialog.messageBoxes[0]!;
    expect(box.message).toBe(`IMS Lab ${IMS_VERSION}`);
    expect(String(box.detail)).toContain(join(electron.app.userData, 'data'));
  });
});

describe('window', () => {
  it("a crashed page is reloaded, a few times a minute at most, and said in the appliance's log", async () => {
    const desk = await launch();
    const win = theWindow();
    const logged: string[] = [];
    desk.appliance()!.logger.subscribe((r) => logged.push(`${r.level} ${r.source}: ${r.text}`));
    win.webContents.crash('oom', 9);
    expect(win.webContents.reloads).toBe(1);
    expect(logged).toContain(
      "WARNING desktop: the window's page is gone (oom, exit code 9): reloading it; the appliance runs on",
    );
    win.webContents.crash();
    win.webContents.crash();
    expect(win.webContents.reloads).toBe(3);
    win.webContents.crash(); // a page that crashes as it loads: not reloaded for ever
    expect(win.webContents.reloads).toBe(3);
    expect(logged.at(-1)).toMatch(/3 times in a minute: not reloaded again \(View > Reload\)$/);
    win.webContents.crash('clean-exit', 0);
    expect(win.webContents.reloads).toBe(3);
  });

  it('opens at the remembered size and position', async () => {
    await launch();
    const first = theWindow();
    expect(first.options.center).toBe(true);
    expect(first.options.width).toBe(1280);
    first.bounds = { x: 40, y: 30, width: 1000, height: 700 };
    first.maximized = true;
    const userData = electron.app.userData;
    first.close();
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    const saved = JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8')) as unknown;
    expect(saved).toEqual({ x: 40, y: 30, width: 1000, height: 700, maximized: true });

    // Next run, same userData.
    electron.resetFakeElectron({ keepUserData: true });
    await launch();
    const second = theWindow();
    expect(second.options).toMatchObject({ x: 40, y: 30, width: 1000, height: 700 });
    await vi.waitFor(() => expect(second.visible).toBe(true));
    expect(second.maximized).toBe(true);
  });
});
