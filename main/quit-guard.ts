// Closing the window quits the app (not on macOS, where it stays in the dock) and so ends the
// appliance: on a bench PC the window is the SIP server. With calls up or a dialer campaign running,
// the user is asked first, in the console's language; and so is a quit with no window open (macOS: the
// window closed, the app in the dock, then Cmd+Q or Dock > Quit), in a box of its own.
import type { App, BrowserWindow, Dialog, MessageBoxOptions } from 'electron';
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
  // One thing: "it" (它/该通话), as the English says, not "them".
  const one = busy.calls + busy.campaigns === 1;
  const zhWhat = one ? (busy.calls === 1 ? '该通话' : '该拨号任务') : '它们';
  return lang === 'zh'
    ? {
        message: `${what}：退出 IMS Lab 将结束${zhWhat}。`,
        detail: '进行中的通话将被结束（BYE）并写入话单；拨号任务将停止。',
        buttons: ['退出', '取消'],
      }
    : {
        message: `${what[0]!.toUpperCase()}${what.slice(1)}; quitting IMS Lab ends ${one ? 'it' : 'them'}.`,
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

/** Asks the question (attached to the window when there is one); says Quit to the guard. */
function ask(
  dialog: Dialog,
  win: BrowserWindow | null,
  question: QuitQuestion,
  guard: CloseGuard,
): Promise<void> {
  const options: MessageBoxOptions = {
    type: 'warning',
    title: 'IMS Lab',
    ...question,
    defaultId: 1,
    cancelId: 1,
  };
  return (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options)).then(({ response }) => {
    if (response === 0) guard.quit();
  });
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
    void ask(dialog, win, question, guard).finally(() => (asking = false));
  });
}

/**
 * Holds a quit back while no window is open (whose close would ask), with the same question in a box
 * of its own. Register it before anything else listens to before-quit: they see the quit held back.
 */
export function guardQuit(app: App, dialog: Dialog, guard: CloseGuard & { hasWindow(): boolean }): void {
  let asking = false;
  app.on('before-quit', (event) => {
    if (guard.hasWindow() || !guard.mayAsk()) return;
    const question = quitQuestion(guard.busy(), guard.lang());
    if (question === undefined) return;
    event.preventDefault();
    if (asking) return;
    asking = true;
    void ask(dialog, null, question, guard).finally(() => (asking = false));
  });
}
