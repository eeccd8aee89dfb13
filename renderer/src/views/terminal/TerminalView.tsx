// The MML terminal: a command line with scrollback, ↑/↓ history (the appliance's, shared with DSP
// HISTORY), Tab completion from the registry (the complete op) with the candidates shown as hints,
// the original's command tree as a sidebar that fills the input, results as MML text with RETCODE
// coloured, copy of a result, Ctrl+L to clear.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { SearchField, ViewFrame } from '../../components/common';
import { clockTime } from '../../components/local-time';
import { useClient, useShell, useT } from '../../store/shell';
import { cellPieces } from './cells';
import { COMMAND_TREE } from './command-tree';
import { commonPrefix, useTerminal, type TerminalEntry } from './store';

export default function TerminalView() {
  const t = useT();
  const client = useClient();
  const lang = useShell((s) => s.lang);
  const entries = useTerminal((s) => s.entries);
  const historyLoaded = useTerminal((s) => s.historyLoaded);
  const [input, setInput] = useState('');
  const [hints, setHints] = useState<string[]>([]);
  const [treeFilter, setTreeFilter] = useState('');
  // Escape hands Tab back to the page until the line changes again (see onKey).
  const [tabLeaves, setTabLeaves] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const outRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (historyLoaded) return;
    client
      .snapshot('history', { limit: 200 })
      .then((h) => useTerminal.getState().setHistory(h.entries.map((e) => e.command)))
      .catch(() => useTerminal.getState().setHistory([]));
  }, [client, historyLoaded]);

  useEffect(() => {
    const el = outRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries]);

  const run = async (text: string) => {
    const command = text.trim();
    if (command === '') return;
    setInput('');
    setHints([]);
    const id = useTerminal.getState().begin(command);
    try {
      const r = await client.execute(command);
      const worst = r.results.reduce((w, x) => (x.retcode !== 0 ? x.retcode : w), 0);
      useTerminal.getState().finish(id, r.text, worst);
    } catch (err) {
      useTerminal.getState().finish(id, (err as Error).message, -1);
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
    } else if (candidates.length > 1) {
      const prefix = commonPrefix(candidates);
      if (prefix.length > input.length) setInput(prefix);
      setHints(candidates.slice(0, 40));
    } else setHints([]);
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

  const fill = (command: string) => {
    setInput(command);
    setHints([]);
    setTabLeaves(false);
    inputRef.current?.focus();
  };

  const filter = treeFilter.trim().toLowerCase();
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
        <aside className="terminal-tree" aria-label={t('mml.tree')}>
          <SearchField
            label={t('mml.tree')}
            placeholder={t('common.search')}
            value={treeFilter}
            onChange={setTreeFilter}
          />
          {COMMAND_TREE.map((g) => {
            const items = g.entries.filter(
              (x) =>
                filter === '' ||
                x.command.toLowerCase().includes(filter) ||
                x.label[lang].toLowerCase().includes(filter),
            );
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
                        onClick={() => fill(x.command)}
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
        <div className="terminal-main">
          <div className="terminal-out" role="region" aria-label="MML output" ref={outRef} tabIndex={0}>
            {entries.length === 0 && <p className="terminal-welcome">{t('mml.welcome')}</p>}
            {entries.map((e) => (
              <Entry key={e.id} entry={e} />
            ))}
          </div>
          {hints.length > 0 && (
            <ul className="terminal-hints" aria-label={t('mml.hints')}>
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
              autoFocus
              spellCheck={false}
              autoComplete="off"
              value={input}
              onChange={(e) => onType(e.target.value)}
              onKeyDown={onKey}
            />
            <button type="submit" className="btn btn-primary">
              {t('mml.run')}
            </button>
          </form>
        </div>
      </div>
    </ViewFrame>
  );
}

/** A completion shown by what it adds: the whole line minus what the input already has before its last word. */
function hintLabel(candidate: string, input: string): string {
  const cut = Math.max(input.lastIndexOf(':'), input.lastIndexOf(','), input.lastIndexOf(' ')) + 1;
  return candidate.toUpperCase().startsWith(input.slice(0, cut).toUpperCase())
    ? candidate.slice(cut)
    : candidate;
}

function Entry({ entry }: { entry: TerminalEntry }) {
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
          <button type="button" className="btn btn-small" onClick={copy}>
            {copied === 'done' ? t('mml.copied') : copied === 'failed' ? t('mml.copyFailed') : t('mml.copy')}
          </button>
        )}
      </div>
      {entry.text === null ? (
        <pre className="entry-text dim">{t('mml.running')}</pre>
      ) : (
        <pre className={`entry-text${entry.retcode === -1 ? ' bad' : ''}`}>
          {entry.text.split('\n').map((line, i) => {
            const m = /^RETCODE = (\d+)/.exec(line);
            return (
              <span key={i} className={m ? (m[1] === '0' ? 'ok' : 'bad') : undefined}>
                <Cells line={line} />
                {'\n'}
              </span>
            );
          })}
        </pre>
      )}
    </article>
  );
}

/** A line of MML text with each wide character in a box of exactly two cells (see cells.ts). */
function Cells({ line }: { line: string }) {
  return cellPieces(line).map((p, i) =>
    p.wide ? (
      <span key={i} className="cjk">
        {p.text}
      </span>
    ) : (
      p.text
    ),
  );
}
