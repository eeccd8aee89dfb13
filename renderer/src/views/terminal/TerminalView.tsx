// The MML terminal: a command line with scrollback, ↑/↓ history (the appliance's, shared with DSP
// HISTORY), Tab completion from the registry (the complete op) with the candidates shown as hints,
// the original's command tree as a sidebar that fills the input, results as MML text with RETCODE
// coloured, copy of a result, Ctrl+L to clear. A paste of several lines runs them as a script, as the mml
// client runs a file (the one-line input would join them with spaces).
import {
  memo,
  useEffect,
  useMemo,
  useImperativeHandle,
  useRef,
  useState,
  type ClipboardEvent,
  type KeyboardEvent,
  type Ref,
} from 'react';
import { SearchField, useTick, ViewFrame } from '../../components/common';
import { MASK } from '../../../../core/mml/mask';
import { clockTime } from '../../components/local-time';
import { useClient, useShell, useT } from '../../store/shell';
import { cellPieces } from './cells';
import { COMMAND_TREE, treeMatches } from './command-tree';
import { commonPrefix, useTerminal, type TerminalEntry } from './store';
import { HEAD_LINES, MORE_LINES, resultFileName, shownLines } from './long-entry';
import { saveFile } from '../../api/download';
import { outcomeUnknown } from '../../api/client';
import { errorMessage } from '../../components/error-text';

export default function TerminalView() {
  const t = useT();
  const client = useClient();
  const historyLoaded = useTerminal((s) => s.historyLoaded);
  // The command line keeps its own state: typing re-renders it alone, never the scrollback (a few
  // DSP USER ALL outputs are tens of thousands of lines) nor the command tree.
  const line = useRef<CommandLineHandle>(null);

  useEffect(() => {
    if (historyLoaded) return;
    client
      .snapshot('history', { limit: 200 })
      .then((h) => useTerminal.getState().setHistory(h.entries.map((e) => e.command)))
      .catch(() => useTerminal.getState().setHistory([]));
  }, [client, historyLoaded]);

  return (
    <ViewFrame
      title={t('view.mml')}
      code="MML"
      toolbar={
        <button type="button" className="btn" onClick={() => useTerminal.getState().clear()}>
          {t('mml.clear')}
        </button>
      }
    >
      <div className="terminal">
        <CommandTree onPick={(command) => line.current?.fill(command)} />
        <div className="terminal-main">
          <Scrollback />
          <Announcer />
          <CommandLine ref={line} />
        </div>
      </div>
    </ViewFrame>
  );
}

/** The original's command tree: a click fills the command line. */
const CommandTree = memo(function CommandTree({ onPick }: { onPick: (command: string) => void }) {
  const t = useT();
  const lang = useShell((s) => s.lang);
  const [treeFilter, setTreeFilter] = useState('');
  const filter = treeFilter.trim().toLowerCase();
  return (
    <aside className="terminal-tree" aria-label={t('mml.tree')}>
      <SearchField
        label={t('mml.tree')}
        placeholder={t('common.search')}
        value={treeFilter}
        onChange={setTreeFilter}
      />
      {COMMAND_TREE.map((g) => {
        const items = treeMatches(g, filter, lang);
        if (items.length === 0) return null;
        return (
          <details key={g.name.en} open={filter !== ''}>
            <summary>{g.name[lang]}</summary>
            <ul>
              {items.map((x) => (
                <li key={x.command + x.label.en}>
                  <button
                    type="button"
                    className="tree-item"
                    title={x.command}
                    onClick={() => onPick(x.command)}
                  >
                    <span>{x.label[lang]}</span>
                    <code>{x.command}</code>
                  </button>
                </li>
              ))}
            </ul>
          </details>
        );
      })}
    </aside>
  );
});

/** The results so far, newest at the bottom (kept scrolled there as results arrive). */
function Scrollback() {
  const t = useT();
  const entries = useTerminal((s) => s.entries);
  const outRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = outRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries]);
  return (
    <div className="terminal-out" role="region" aria-label="MML output" ref={outRef} tabIndex={0}>
      {entries.length === 0 && <p className="terminal-welcome">{t('mml.welcome')}</p>}
      {entries.map((e) => (
        <Entry key={e.id} entry={e} />
      ))}
    </div>
  );
}

/** At most this many RETCODE lines are read out for one run; more are counted. */
const ANNOUNCED_RESULTS = 3;

/**
 * Reads each run's outcome to a screen reader: a polite live region that gets the RETCODE line(s) of a
 * result when it arrives (the output region itself is not live: a table of 12,000 users is not read
 * out). A new paragraph each time, so the same outcome twice is announced twice.
 */
function Announcer() {
  const t = useT();
  const last = useTerminal((s) => s.entries.findLast((e) => e.text !== null));
  // What was there when the view opened is not news.
  const [openedWith] = useState(last?.id);
  const news = last !== undefined && last.id !== openedWith ? last : undefined;
  let text = '';
  if (news !== undefined) {
    const codes = news.text!.split('\n').filter((l) => /^RETCODE = /.test(l));
    const said = codes.length > 0 ? codes : [news.text!.split('\n')[0] ?? ''];
    text = `${news.command}: ${said.slice(0, ANNOUNCED_RESULTS).join('; ')}`;
    if (said.length > ANNOUNCED_RESULTS)
      text += `; ${t('mml.moreResults', { n: said.length - ANNOUNCED_RESULTS })}`;
  }
  return (
    <div className="visually-hidden" role="status" aria-label={t('mml.outcome')}>
      {news !== undefined && <p key={news.id}>{text}</p>}
    </div>
  );
}

/** The command line's description (how Tab works, how to leave) and its completions' list, by id. */
const KEYS_ID = 'mml-keys';
const HINTS_ID = 'mml-hints';
/** How many of Tab's completions are said (the rest are counted). */
const SAID_COMPLETIONS = 8;

/** What the tree asks of the command line. */
interface CommandLineHandle {
  fill(command: string): void;
}

/** The input, its completions (Tab) and history (↑/↓), Run. */
function CommandLine({ ref }: { ref: Ref<CommandLineHandle> }) {
  const t = useT();
  const client = useClient();
  // What was typed and not sent outlives the view and the login page (the store keeps it).
  const [input, setInput] = useState(() => useTerminal.getState().typed);
  useEffect(() => useTerminal.getState().setTyped(input), [input]);
  const [hints, setHints] = useState<string[]>([]);
  // Escape hands Tab back to the page until the line changes again (see onKey).
  const [tabLeaves, setTabLeaves] = useState(false);
  // What Tab's completion found, said to a screen reader (the hints above the line are not a live
  // region): a new line each time, so that the same answer twice is said twice (WCAG 4.1.3).
  const [said, setSaid] = useState<{ id: number; text: string } | null>(null);
  const say = (text: string) => setSaid((s) => ({ id: (s?.id ?? 0) + 1, text }));
  const inputRef = useRef<HTMLInputElement>(null);

  const fill = (command: string) => {
    setInput(command);
    setHints([]);
    setTabLeaves(false);
    // The caret at the first value to type (ADD USER:USERNAME=|,PASSWORD=), else at the end: typing went
    // into the last parameter.
    const empty = /=(?=,|$)/.exec(command);
    const at = empty === null ? command.length : empty.index + 1;
    requestAnimationFrame(() => {
      inputRef.current?.focus();
      inputRef.current?.setSelectionRange(at, at);
    });
  };
  useImperativeHandle(ref, () => ({ fill }));

  // One typed line, or a pasted script: its lines go to the appliance as one script (comments and blank
  // lines skipped there, each statement answered in order, syntax errors naming the line), as `mml --file`.
  const run = async (text: string) => {
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    if (lines.length === 0) return;
    // Sent as pasted, so that an error's line number is the line's in the paste.
    const script = lines.length > 1 ? text : lines[0]!;
    const command = lines.join('\n');
    setInput('');
    setHints([]);
    // ↑ recalls the statements of a script one by one, not its comments.
    const id = useTerminal.getState().begin(
      command,
      lines.filter((l) => !/^(?:#|\/\/)/.test(l)),
    );
    try {
      const r = await client.execute(script);
      const worst = r.results.reduce((w, x) => (x.retcode !== 0 ? x.retcode : w), 0);
      // The echo line shows a password as the appliance's history does (masked), not as typed.
      const recorded = r.results.map((x) => x.command ?? '');
      const masked = recorded.some((c) => c.includes(MASK))
        ? recorded.join(lines.length > 1 ? '\n' : '; ')
        : undefined;
      useTerminal.getState().finish(id, r.text, worst, masked);
    } catch (err) {
      // Lost with its connection before the answer: it may have run (it is not sent again).
      const text = outcomeUnknown(err) ? t('mml.outcomeUnknown') : errorMessage(t, (err as Error).message);
      useTerminal.getState().finish(id, text, -1);
    }
  };

  const complete = async () => {
    let candidates: string[];
    try {
      candidates = await client.complete(input);
    } catch {
      return;
    }
    if (candidates.length === 1) {
      const only = candidates[0]!;
      setInput(/[=:,]$/.test(only) ? only : `${only} `);
      setHints([]);
      say(t('mml.completed', { text: only }));
    } else if (candidates.length > 1) {
      const prefix = commonPrefix(candidates);
      if (prefix.length > input.length) setInput(prefix);
      setHints(candidates.slice(0, 40));
      const list = candidates.slice(0, SAID_COMPLETIONS).map((c) => hintLabel(c, input));
      if (candidates.length > SAID_COMPLETIONS) list.push('…');
      say(t('mml.completions', { n: candidates.length, list: list.join(', ') }));
    } else {
      setHints([]);
      say(t('mml.noCompletion', { input: input.trim() }));
    }
  };

  // A paste of several lines (a provisioning script copied from an editor) runs at once, with what the
  // line held around the caret; one line (a trailing line end aside) is pasted into the line as typed.
  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const pasted = e.clipboardData.getData('text/plain');
    if (!/[\r\n]/.test(pasted.replace(/[\r\n]+$/, ''))) return;
    e.preventDefault();
    const el = e.currentTarget;
    const from = el.selectionStart ?? input.length;
    const to = el.selectionEnd ?? input.length;
    void run(input.slice(0, from) + pasted.replace(/\r\n?/g, '\n') + input.slice(to));
  };

  // After ':' or ',' the parameters the command still takes are shown as hints (the registry's).
  const onType = (text: string) => {
    setInput(text);
    setTabLeaves(false);
    if (!/[:,]\s*$/.test(text)) return;
    client.complete(text).then(
      (candidates) => setHints(candidates.slice(0, 40)),
      () => undefined,
    );
  };

  // Tab completes only when there is something to complete: a non-blank line, and not after Escape
  // (the way web terminals such as VS Code's or Jupyter's avoid a keyboard trap, WCAG 2.1.2). Shift+Tab
  // always moves the focus back, and Tab on an empty line (or after Escape) moves it on to Execute, so
  // the keyboard can always leave the input.
  const tabCompletes = (e: KeyboardEvent<HTMLInputElement>): boolean =>
    !e.shiftKey && !tabLeaves && input.trim() !== '';

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void run(input);
    } else if (e.key === 'Tab') {
      if (!tabCompletes(e)) return; // the browser moves the focus
      e.preventDefault();
      void complete();
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      setInput(useTerminal.getState().walk(e.key === 'ArrowUp' ? -1 : 1, input));
      setTabLeaves(false);
    } else if (e.key === 'Escape') {
      setHints([]);
      setTabLeaves(true);
    } else if (e.key.toLowerCase() === 'l' && e.ctrlKey) {
      e.preventDefault();
      useTerminal.getState().clear();
    }
  };

  return (
    <>
      {hints.length > 0 && (
        <ul className="terminal-hints" id={HINTS_ID} aria-label={t('mml.hints')}>
          {hints.map((h) => (
            <li key={h}>
              <button type="button" className="hint" title={h} onClick={() => fill(h)}>
                {hintLabel(h, input)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="terminal-input"
        onSubmit={(e) => {
          e.preventDefault();
          void run(input);
        }}
      >
        <span className="prompt" aria-hidden="true">
          MML&gt;
        </span>
        <input
          ref={inputRef}
          className="input mono"
          aria-label="MML command"
          aria-describedby={KEYS_ID}
          aria-controls={hints.length > 0 ? HINTS_ID : undefined}
          autoFocus
          spellCheck={false}
          autoComplete="off"
          value={input}
          onChange={(e) => onType(e.target.value)}
          onKeyDown={onKey}
          onPaste={onPaste}
        />
        <button type="submit" className="btn btn-primary">
          {t('mml.run')}
        </button>
        <p className="visually-hidden" id={KEYS_ID}>
          {t('mml.keys')}
        </p>
        <div className="visually-hidden" role="status" aria-label={t('mml.completion')}>
          {said !== null && <p key={said.id}>{said.text}</p>}
        </div>
      </form>
    </>
  );
}

/** A completion shown by what it adds: the whole line minus what the input already has before its last word. */
function hintLabel(candidate: string, input: string): string {
  const cut = Math.max(input.lastIndexOf(':'), input.lastIndexOf(','), input.lastIndexOf(' ')) + 1;
  return candidate.toUpperCase().startsWith(input.slice(0, cut).toUpperCase())
    ? candidate.slice(cut)
    : candidate;
}

/** A command as a button names it: a script by its first statement. */
const commandName = (command: string): string => {
  const lines = command.split('\n');
  return lines.length > 1 ? `${lines[0]} …` : command;
};

/** One command and its result; memoised: it renders again only when its result arrives. */
const Entry = memo(function Entry({ entry }: { entry: TerminalEntry }) {
  const t = useT();
  // 'done' or 'failed' for a moment after a click (a clipboard the browser refuses says so).
  const [copied, setCopied] = useState<'done' | 'failed' | null>(null);
  const copy = () => {
    const show = (how: 'done' | 'failed') => {
      setCopied(how);
      setTimeout(() => setCopied(null), 1500);
    };
    const text = `MML> ${entry.command}\n${entry.text ?? ''}`;
    if (navigator.clipboard === undefined) show('failed');
    else
      navigator.clipboard.writeText(text).then(
        () => show('done'),
        () => show('failed'),
      );
  };
  return (
    <article className="entry" aria-label={entry.command}>
      <div className="entry-head">
        <span className="entry-cmd">MML&gt; {entry.command}</span>
        <span className="entry-time">{clockTime(entry.at)}</span>
        {entry.text !== null && (
          <button
            type="button"
            className="btn btn-small"
            // Named by its result ("Copy DSP USER result"): one "Copy" per result was a list of the same
            // name (WCAG 2.4.6); the visible word stays the name's start (2.5.3).
            aria-label={
              copied === null ? t('mml.copyOf', { command: commandName(entry.command) }) : undefined
            }
            onClick={copy}
          >
            {copied === 'done' ? t('mml.copied') : copied === 'failed' ? t('mml.copyFailed') : t('mml.copy')}
          </button>
        )}
      </div>
      {entry.text === null ? <Waiting since={entry.at} /> : <EntryText entry={entry} />}
    </article>
  );
});

/** After this long a command's wait is told with its time (a cut link, a hung server, a long import). */
export const WAIT_TOLD_AFTER_MS = 3000;

/**
 * A command not answered yet: "running…", then, past WAIT_TOLD_AFTER_MS or once the appliance is not
 * answering, since when and how long it has waited. The console never gives up on it (it may still run:
 * a cut link or a hung server comes back and carries it out); its answer replaces this when it comes.
 */
function Waiting({ since }: { since: number }) {
  const t = useT();
  const now = useTick(1000);
  const live = useShell((s) => s.connection === 'connected');
  const waited = Math.max(0, now - since);
  if (live && waited < WAIT_TOLD_AFTER_MS) return <pre className="entry-text dim">{t('mml.running')}</pre>;
  const vars = { time: clockTime(since), seconds: Math.floor(waited / 1000) };
  return (
    <pre className="entry-text entry-note dim">{t(live ? 'mml.waiting' : 'mml.waitingStalled', vars)}</pre>
  );
}

/** A result's lines as elements, one span each (RETCODE coloured). */
function TextLines({ lines }: { lines: readonly string[] }) {
  return lines.map((line, i) => {
    const m = /^RETCODE = (\d+)/.exec(line);
    return (
      <span key={i} className={m ? (m[1] === '0' ? 'ok' : 'bad') : undefined}>
        <Cells line={line} />
        {'\n'}
      </span>
    );
  });
}

/**
 * A result's text. A long one (DSP USER ALL of 98,000 users) shows its first HEAD_LINES and its last few
 * lines, with how many are left out between, "Show more lines" (MORE_LINES at a time) and "Download" (the
 * whole result as a text file); Copy copies it whole. Every line as elements, it was 196,000 DOM nodes
 * and held the tab 23 s.
 */
function EntryText({ entry }: { entry: TerminalEntry }) {
  const t = useT();
  const [head, setHead] = useState(HEAD_LINES);
  const all = useMemo(() => (entry.text ?? '').split('\n'), [entry.text]);
  const shown = shownLines(all, head);
  const className = `entry-text${entry.retcode === -1 ? ' bad' : ''}`;
  if (shown.hidden === 0)
    return (
      <pre className={className}>
        <TextLines lines={shown.head} />
      </pre>
    );
  const command = commandName(entry.command);
  const more = Math.min(MORE_LINES, shown.hidden);
  const download = () =>
    saveFile(
      resultFileName(entry.command, new Date(entry.at)),
      new Blob([`MML> ${entry.command}\n${entry.text ?? ''}`], { type: 'text/plain;charset=utf-8' }),
    );
  return (
    <>
      <pre className={className}>
        <TextLines lines={shown.head} />
      </pre>
      <div className="entry-more">
        <span className="dim">
          {t('mml.linesLeftOut', { n: count(shown.hidden) })} {t('mml.linesInAll', { n: count(all.length) })}
        </span>
        <button
          type="button"
          className="btn btn-small"
          aria-label={t('mml.showMoreOf', { n: count(more), command })}
          onClick={() => setHead(head + more)}
        >
          {t('mml.showMore', { n: count(more) })}
        </button>
        <button
          type="button"
          className="btn btn-small"
          aria-label={t('mml.downloadOf', { command })}
          onClick={download}
        >
          {t('mml.download')}
        </button>
      </div>
      <pre className={className}>
        <TextLines lines={shown.tail} />
      </pre>
    </>
  );
}

/** A count of lines as the console writes it: 98,000. */
const count = (n: number): string => n.toLocaleString('en-US');

/** A line of MML text with each run of wide characters in a box of exactly two cells each (cells.ts). */
function Cells({ line }: { line: string }) {
  return cellPieces(line).map((p, i) =>
    p.wide ? (
      <span key={i} className={p.cells === 2 ? 'cjk' : 'cjk cjk-run'} style={{ width: `${p.cells}ch` }}>
        {p.text}
      </span>
    ) : (
      p.text
    ),
  );
}
