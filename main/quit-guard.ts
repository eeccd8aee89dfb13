// Closing the window quits the app (not on macOS, where it stays in the dock) and so ends the
// appliance: on a bench PC the window is the SIP server. With calls up or a dialer campaign running,
// the user is asked first, in the console's language.
import type { BrowserWindow, Dialog } from 'electron';
import type { Lang } from '../core/control/contract';

/** What a quit would end. */
export interface Busy {
  calls: number;
  campaigns: number;
}

export interface QuitQuestion {
  message: string;
  detail: string;
  /** Quit (0), Cancel (1). */
  buttons: [string, string];
}

const WORDS: Record<Lang, { calls(n: number): string; campaigns(n: number): string; join: string }> = {
  en: {
    calls: (n) => (n === 1 ? '1 call is up' : `${n} calls are up`),
    campaigns: (n) => (n === 1 ? 'a dialer campaign is running' : `${n} dialer campaigns are running`),
    join: ' and ',
  },
  zh: {
    calls: (n) => `${n} 个通话进行中`,
    campaigns: (n) => `${n} 个拨号任务正在运行`,
    join: '，',
  },
};

/** The question to ask before quitting, or undefined when nothing would be ended. */
export function quitQuestion(busy: Busy, lang: Lang): QuitQuestion | undefined {
  const words = WORDS[lang];
  const parts = [
    ...(busy.calls > 0 ? [words.calls(busy.calls)] : []),
    ...(busy.campaigns > 0 ? [words.campaigns(busy.campaigns)] : []),
  ];
  if (parts.length === 0) return undefined;
  const what = parts.join(words.join);
  return lang === 'zh'
    ? {
        message: `${what}：退出 IMS Lab 将结束它们。`,
        detail: '进行中的通话将被结束（BYE）并写入话单；拨号任务将停止。',
        buttons: ['退出', '取消'],
      }
    : {
        message: `${what[0]!.toUpperCase()}${what.slice(1)}; quitting IMS Lab ends ${busy.calls + busy.campaigns === 1 ? 'it' : 'them'}.`,
        detail: 'Calls up are ended (BYE) and written to the CDR; campaigns stop placing calls.',
        buttons: ['Quit', 'Cancel'],
      };
}

export interface CloseGuard {
  /** Whether this close would quit and may ask (not after the user said Quit, nor for a signal's quit). */
  mayAsk(): boolean;
  busy(): Busy;
  lang(): Lang;
  /** The user said Quit. */
  quit(): void;
}

/** Holds the window's close back, with a question, while a quit would end calls or campaigns. */
export function guardClose(win: BrowserWindow, dialog: Dialog, guard: CloseGuard): void {
  let asking = false;
  win.on('close', (event) => {
    if (!guard.mayAsk()) return;
    const question = quitQuestion(guard.busy(), guard.lang());
    if (question === undefined) return;
    event.preventDefault(); // and so the quit, when it was one
    if (asking) return;
    asking = true;
    void dialog
      .showMessageBox(win, { type: 'warning', title: 'IMS Lab', ...question, defaultId: 1, cancelId: 1 })
      .then(({ response }) => {
        asking = false;
        if (response === 0) guard.quit();
      });
  });
}
