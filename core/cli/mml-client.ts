// `node core/server.js mml "DSP USER"` or `node core/server.js mml --file script.mml`: runs MML on a
// running IMS Lab (IMS_URL, default http://127.0.0.1:8888) as the admin (IMS_ADMIN_PASSWORD), prints
// the text result, and exits 0 only when every command returned RETCODE 0 (1 otherwise, 2 when nothing
// could be run: a wrong option, a script that cannot be read or sent, a server that could not be reached
// or refused the login; 3 when the output could not be written, e.g. the reader of a pipe went away, the
// script run to its end all the same; 4
// when the script was cut short after some of it may have run: cut-short.ts says which lines; 143 or 130
// when stopped by SIGTERM or SIGINT, stop-signals.ts, which says so as well).
// The whole answer is written before the exit (write-all.ts).
// `--json` writes each statement's answer as /api/mml's results hold it, one JSON document a line
// (json-lines.ts). `--stop-on-error` sends one statement at a time and none after the first that does
// not return RETCODE 0, naming the lines not sent (exit 1). `--lang zh` (or IMS_LANG=zh) asks for the answers in Chinese. The script may come on standard input:
// `--file -`, or a pipe with no command given (`echo 'DSP USER' | ... mml`).
// Each request waits at most --timeout (IMS_TIMEOUT) seconds, 60 by default; the logout after the last
// answer at most LOGOUT_TIMEOUT_MS (the answer is written: a hung server must not hold the step).
// A login the server asks to retry (503 with Retry-After: too many logins waiting) is retried a few times.
// `mml --login` prints a session token; with IMS_TOKEN set, a run uses it instead of logging in (and
// leaves it valid): many runs at once need not each log in.
import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { utf8Text } from '../config/text-file';
import { MAX_SCRIPT } from '../control/contract';
import { scriptChunks, statementPieces } from './script-chunks';
import { splitScript } from '../mml/grammar';
import { OUTPUT_ERROR_EXIT, writeAll } from './write-all';
import { escapeControls } from '../observe/logger';
import { CUT_SHORT_EXIT, cutShortMessage } from './cut-short';
import { isNotRun, notRunFrom } from './not-run';
import { DEFAULT_URL, imsUrl, tlsFailed } from './ims-url';
import { exitCodeOf, StopSignals } from './stop-signals';
import { jsonLines } from './json-lines';
import { settledOrClosed } from './unanswered';

export const MML_USAGE = `usage: node core/server.js mml [--json] [--stop-on-error] [--lang en|zh] [--timeout <seconds>] [--] "<command>" | --file <script.mml | -> | < script.mml   (options in any order; env IMS_URL (default ${DEFAULT_URL}, the console's HTTP port), IMS_ADMIN_PASSWORD or IMS_TOKEN, IMS_LANG, IMS_TIMEOUT; a request waits 60 s by default)\n       node core/server.js mml --login   (prints a session token for IMS_TOKEN, valid 12 h)`;

/** Where a script given as `--file -` or piped in is read from (tests give their own). */
export interface ScriptInput {
  /** True when it is a terminal (nothing piped in). */
  isTTY: boolean;
  read(): Promise<Buffer>;
}

// Standard input is read as a stream, to its end: readFileSync(0) threw EAGAIN whenever a pipe was
// momentarily empty before its end (a generator slower than node's start, or a script larger than the
// pipe's 64 KiB), as process.stdin, once touched, puts the pipe in non-blocking mode; and a pipe
// inherited non-blocking from another process would do the same. isatty(0) asks without touching it.
const STDIN: ScriptInput = {
  get isTTY() {
    return isatty(0);
  },
  read: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  },
};

/** Logins answered 503 (too many waiting) are tried again this many times, after their Retry-After. */
const LOGIN_RETRIES = 5;

/** Seconds a request may wait for its answer unless --timeout or IMS_TIMEOUT says otherwise. */
const DEFAULT_TIMEOUT_S = 60;
const MAX_TIMEOUT_S = 86_400;
/** The logout after the last answer: everything is written by then. */
const LOGOUT_TIMEOUT_MS = 5000;
/** Stopped by a signal while writing an answer: how long the rest of it may take to be written. */
const STOP_WRITE_MS = 5000;

/** A request that got no answer in time (fetch rejects with a DOMException named TimeoutError). */
const timedOut = (e: unknown): boolean => (e as Error | undefined)?.name === 'TimeoutError';

/** A request that surely did not reach the server: nothing of it ran. */
const notSent = (e: unknown): boolean => {
  const code = (e as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || tlsFailed(code);
};

interface MmlAnswer {
  results: { retcode: number; message?: string; command?: string; line?: number }[];
  text: string;
}

/** The commands that did not return RETCODE 0, for the one line standard error gets (stdout has them all). */
class Failures {
  count = 0;
  total = 0;
  first: MmlAnswer['results'][number] | undefined;

  add(all: MmlAnswer['results']): void {
    // The server's one "Not run: the server is stopping" for the lines it left is no command that failed:
    // the script was cut short there (not-run.ts).
    const results = all.filter((r) => !isNotRun(r));
    this.total += results.length;
    for (const r of results.filter((r) => r.retcode !== 0)) {
      this.count++;
      this.first ??= r;
    }
  }

  /** "mml: 2 of 40 commands did not return RETCODE 0; the first, line 7: RETCODE = 5 User x does not exist". */
  summary(): string {
    const r = this.first!;
    // The command as the script has it may hold a peer's text (a Call-ID, a User-Agent copied from DSP
    // output): escaped as the answers on stdout are, so that the line a CI system shows cannot retitle a
    // terminal or colour its log (ESC ] 0 ; ... BEL).
    const where = r.line !== undefined ? `line ${r.line}` : escapeControls(r.command ?? 'the command');
    const message = escapeControls((r.message ?? '').split('\n')[0]!);
    const of = `${this.count} of ${this.total} command${this.total === 1 ? '' : 's'}`;
    return `mml: ${of} did not return RETCODE 0; the first, ${where}: RETCODE = ${r.retcode} ${message}`.trimEnd();
  }
}

type Answer = { status: number; data: unknown; retryAfter: string | null };

/** One request and its answer; rejects as fetch does, also when the server closed the connection unanswered. */
const post = (...request: Parameters<typeof send>): Promise<Answer> => settledOrClosed(send(...request));

async function send(
  url: string,
  body: unknown,
  timeoutMs: number,
  token?: string,
  stop?: AbortSignal,
): Promise<Answer> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: stop === undefined ? timeout : AbortSignal.any([timeout, stop]),
  });
  const text = await res.text();
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // not JSON: reported as is
  }
  return { status: res.status, data, retryAfter: res.headers.get('retry-after') };
}

const errorOf = (data: unknown): string =>
  typeof data === 'object' && data !== null && 'error' in data ? String(data.error) : String(data);

/** The usage on standard error, exit code 2; what was wrong first, when there is a word for it. */
function usage(err: NodeJS.WritableStream, problem?: string): number {
  err.write(`${problem === undefined ? '' : `mml: ${problem}\n`}${MML_USAGE}\n`);
  return 2;
}

export async function mmlClient(
  args: string[],
  env: NodeJS.ProcessEnv,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  stdin: ScriptInput = STDIN,
): Promise<number> {
  // Any case (ZH, as one types a locale); an empty IMS_LANG is no choice, as when it is unset.
  let given = env.IMS_LANG === '' ? undefined : env.IMS_LANG;
  let timeoutGiven = env.IMS_TIMEOUT === '' ? undefined : env.IMS_TIMEOUT;
  // --lang and --file in any order, before or after the command (no MML word starts with --).
  let file: string | undefined;
  let loginOnly = false;
  let json = false;
  let stopOnError = false;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') {
      out.write(`${MML_USAGE}\n`);
      return 0;
    }
    // POSIX's end of options (Utility Syntax Guideline 10): what follows is the command, whatever it
    // starts with; wrappers that always pass `--` were refused ("unknown option --").
    if (a === '--') {
      words.push(...args.slice(i + 1));
      break;
    }
    if (a === '--login') loginOnly = true;
    else if (a === '--json') json = true;
    else if (a === '--stop-on-error') stopOnError = true;
    else if (a.startsWith('--lang=')) given = a.slice('--lang='.length);
    else if (a.startsWith('--timeout=')) timeoutGiven = a.slice('--timeout='.length);
    else if ((a === '--lang' || a === '--file' || a === '--timeout') && i + 1 < args.length) {
      if (a === '--lang') given = args[++i];
      else if (a === '--timeout') timeoutGiven = args[++i];
      else if (file === undefined) file = args[++i];
      else return usage(err, '--file given twice');
    } else if (a === '--lang' || a === '--file' || a === '--timeout') return usage(err, `${a} needs a value`);
    else if (a.startsWith('--')) return usage(err, `unknown option ${a}`);
    else words.push(a);
  }
  const lang = given?.toLowerCase();
  if (lang !== undefined && lang !== 'en' && lang !== 'zh') {
    err.write(`mml: --lang/IMS_LANG must be en or zh, got "${given}"\n`);
    return 2;
  }
  const timeoutS = timeoutGiven === undefined ? DEFAULT_TIMEOUT_S : Number(timeoutGiven);
  if (!/^\d+(\.\d+)?$/.test(timeoutGiven ?? '0') || !(timeoutS > 0 && timeoutS <= MAX_TIMEOUT_S)) {
    err.write(
      `mml: --timeout/IMS_TIMEOUT must be a number of seconds, more than 0 and at most ${MAX_TIMEOUT_S}, got "${timeoutGiven}"\n`,
    );
    return 2;
  }
  const timeoutMs = Math.round(timeoutS * 1000);
  const noAnswer = `no answer within ${timeoutS} s (--timeout, IMS_TIMEOUT)`;
  const url = imsUrl(env.IMS_URL);
  if ('problem' in url) {
    err.write(`mml: ${url.problem}; nothing was run\n`);
    return 2;
  }
  const base = url.base;
  // `mml --login` prints a session token for IMS_TOKEN: a job running many mml at once (xargs -P) logs in
  // once, not once per run (each login costs a scrypt check; past 32 waiting the server answers 503).
  if (loginOnly) {
    if (file !== undefined || words.length > 0) return usage(err, '--login takes no command and no --file');
    const token = await logIn(base, env.IMS_ADMIN_PASSWORD, timeoutMs, noAnswer, err);
    if (typeof token === 'number') return token;
    const written = await writeAnswer(out, token);
    if (written === undefined) return 0;
    err.write(`mml: output not fully written: ${written}\n`);
    return OUTPUT_ERROR_EXIT;
  }
  let script: string;
  // Nothing named and something piped in: the script is standard input, as `--file -` says.
  if (file === undefined && words.length === 0 && !stdin.isTTY) file = '-';
  if (file !== undefined && words.length === 0) {
    try {
      const bytes = file === '-' ? await stdin.read() : readFileSync(file);
      script = utf8Text(bytes, (problem) => new Error(`${problem}: save it as UTF-8`));
    } catch (e) {
      err.write(`mml: cannot read ${file === '-' ? 'standard input' : file}: ${(e as Error).message}\n`);
      return 2;
    }
  } else if (file === undefined && words.length > 0) {
    script = words.join(' ');
  } else return usage(err, file === undefined ? undefined : `a command and --file ${file}: give one of them`);
  // A line the server cannot take (a request holds whole lines): said before anything runs, with its
  // number (the server's own refusal came back as "mml: mml: longer than ...", naming no line).
  const long = script.split('\n').findIndex((line) => line.length > MAX_SCRIPT);
  if (long >= 0) {
    const where =
      file === undefined ? 'the command' : `line ${long + 1} of ${file === '-' ? 'standard input' : file}`;
    err.write(`mml: ${where} is longer than ${MAX_SCRIPT} characters; nothing was run\n`);
    return 2;
  }
  // A script with nothing to run (a generated file empty today, comments only) is done, not failed: the
  // server would answer its empty command RETCODE 1, as it does to an Enter on an empty console line.
  if (splitScript(script).length === 0) {
    // A command argument given empty is a mistake, most often an unset variable (`mml "$CMD"`): it passed a
    // CI step with exit 0, while /api/mml answers the same empty command RETCODE 1.
    if (file === undefined) {
      err.write(
        'mml: the command given is empty (blank or a comment only: an unset variable?); nothing was run\n',
      );
      return 2;
    }
    err.write('mml: nothing to run: the script holds no command (only blank lines or comments)\n');
    return 0;
  }
  const failures = new Failures();
  // A script larger than a request body goes in pieces of whole lines (script-chunks.ts), each answer
  // written as it comes.
  // With --stop-on-error, one statement a request: nothing after the first failure is sent.
  const pieces = stopOnError ? statementPieces(script) : scriptChunks(script);
  let answered = 0;
  let stoppedAtError = false;
  /** The first line the server did not run, having begun to stop (its "Not run" answer, not-run.ts). */
  let serverStoppedAt: number | undefined;
  const multiline = pieces.some((p) => p.firstLine > 1);
  // Stopped by SIGTERM or SIGINT (stop-signals.ts): said at once, as a script cut short is.
  let loggedIn = false;
  let inFlight = false;
  const stop = new StopSignals((signal) => {
    if (!loggedIn) {
      err.write(`mml: stopped by ${signal} before the script was sent: nothing was run\n`);
      return;
    }
    if (failures.count > 0) err.write(`${failures.summary()}\n`);
    const reason = `stopped by ${signal}`;
    err.write(`${cutShortMessage({ pieces, answered, reason, inDoubt: inFlight, unsent: !inFlight })}\n`);
  });
  // A token from `mml --login` is used as it is and stays valid after the run (no logout).
  const givenToken = env.IMS_TOKEN === '' ? undefined : env.IMS_TOKEN;
  let token;
  try {
    token = givenToken ?? (await logIn(base, env.IMS_ADMIN_PASSWORD, timeoutMs, noAnswer, err, stop));
  } finally {
    if (typeof token !== 'string') stop.dispose();
  }
  if (typeof token === 'number') return token;
  loggedIn = stop.received === undefined;
  // Output that could not be written (the reader of a pipe went away: `| head -1`) does not stop the
  // script: it runs to its end, as it would have into a file, and exits 3 saying from which line on the
  // answers were lost. (It stopped at the failed write: the pieces sent so far had run, the others were
  // never sent, and only "write EPIPE" said so.)
  let lost: { problem: string; fromLine: number } | undefined;
  const lostNote = (ranToEnd: boolean): string =>
    `mml: output not fully written: ${lost!.problem}; ${ranToEnd ? 'the script was run to its end, ' : ''}` +
    `the answers from line ${lost!.fromLine} on not fully written\n`;
  /** Writes a piece's answer; true when a signal stopped the run meanwhile. */
  const writeOut = async (answer: MmlAnswer, fromLine: number): Promise<boolean> => {
    const writing = json ? writeAnswer(out, jsonLines(answer.results), true) : writeAnswer(out, answer.text);
    const written = await Promise.race([writing, stop.stopped]);
    if (stop.received !== undefined) {
      // Stopped while a reader held the answer: the rest of it, if the reader takes it soon.
      const done = await within(writing, STOP_WRITE_MS);
      if (done !== undefined) {
        lost = { problem: done || `stopped by ${stop.received}`, fromLine };
        err.write(lostNote(false));
      }
      return true;
    }
    if (written !== undefined) lost = { problem: written, fromLine };
    return false;
  };
  try {
    for (const piece of pieces) {
      if (stop.received !== undefined) break;
      const firstLine = piece.firstLine > 1 ? { firstLine: piece.firstLine } : {};
      let run;
      inFlight = true;
      try {
        run = await post(
          `${base}/api/mml`,
          { mml: piece.text, ...firstLine, ...(lang ? { lang } : {}) },
          timeoutMs,
          token,
          stop.signal,
        );
      } catch (e) {
        if (stop.received !== undefined) break;
        // Sent and not answered: the server may have run it (a hung server, or one that stopped).
        if (answered === 0 && notSent(e)) {
          err.write(`mml: cannot reach ${base}: ${reachFault(e)}\n`);
          return 2;
        }
        const reason = timedOut(e) ? `${noAnswer} from ${base}` : `${base}: ${reachFault(e)}`;
        if (lost !== undefined) err.write(lostNote(false));
        if (failures.count > 0) err.write(`${failures.summary()}\n`);
        err.write(`${cutShortMessage({ pieces, answered, reason, inDoubt: !notSent(e) })}\n`);
        return CUT_SHORT_EXIT;
      }
      if (run.status !== 200) {
        // Refused: this piece did not run.
        if (answered === 0) {
          const again =
            givenToken !== undefined && run.status === 401
              ? ' (IMS_TOKEN: get another with mml --login)'
              : '';
          err.write(`mml: ${errorOf(run.data)}${again}\n`);
          return 2;
        }
        const reason = `refused (${run.status}): ${errorOf(run.data)}`;
        if (lost !== undefined) err.write(lostNote(false));
        if (failures.count > 0) err.write(`${failures.summary()}\n`);
        err.write(`${cutShortMessage({ pieces, answered, reason, inDoubt: false })}\n`);
        return CUT_SHORT_EXIT;
      }
      inFlight = false;
      // Answered as the signal came: said to be in doubt already.
      if (stop.received !== undefined) break;
      const answer = run.data as MmlAnswer;
      // A statement sent alone is numbered by the server only past line 1 (--stop-on-error).
      if (stopOnError && multiline) for (const r of answer.results) r.line ??= piece.firstLine;
      answered++;
      failures.add(answer.results);
      if (lost === undefined && (await writeOut(answer, piece.firstLine))) break;
      // The server stopped in the middle of this piece: nothing more is sent (it would be refused).
      serverStoppedAt = notRunFrom(answer.results);
      if (serverStoppedAt !== undefined) break;
      if (stopOnError && answer.results.some((r) => r.retcode !== 0) && answered < pieces.length) {
        stoppedAtError = true;
        break;
      }
    }
  } finally {
    stop.dispose();
    if (givenToken === undefined)
      await post(`${base}/api/logout`, {}, Math.min(timeoutMs, LOGOUT_TIMEOUT_MS), token).catch(
        () => undefined,
      );
  }
  if (stop.received !== undefined) return exitCodeOf(stop.received);
  if (lost !== undefined) err.write(lostNote(!stoppedAtError));
  if (failures.count > 0) err.write(`${failures.summary()}\n`);
  if (serverStoppedAt !== undefined) {
    const reason = 'the server is stopping';
    err.write(
      `${cutShortMessage({ pieces, answered, reason, inDoubt: false, notRunFrom: serverStoppedAt })}\n`,
    );
    return CUT_SHORT_EXIT;
  }
  if (stoppedAtError) {
    const [from, to] = [pieces[answered]!.firstLine, pieces[pieces.length - 1]!.firstLine];
    const n = pieces.length - answered;
    err.write(
      `mml: stopped at the first command that did not return RETCODE 0 (--stop-on-error): ${n} more ` +
        `command${n === 1 ? '' : 's'} not sent (${from === to ? `line ${from}` : `lines ${from}-${to}`})\n`,
    );
  }
  return lost !== undefined ? OUTPUT_ERROR_EXIT : failures.count > 0 ? 1 : 0;
}

/** Logs in as the admin (a 503, too many logins waiting, tried again); the token, or the exit code. */
async function logIn(
  base: string,
  given: string | undefined,
  timeoutMs: number,
  noAnswer: string,
  err: NodeJS.WritableStream,
  stop?: StopSignals,
): Promise<string | number> {
  // A password read from a secret file or a CRLF .env ends with a line break no one typed: it was sent,
  // refused as a wrong password (five such runs lock the address out for a minute), and nothing said why.
  const password = given?.replace(/[\r\n]+$/, '');
  const cut = given !== password ? ' (IMS_ADMIN_PASSWORD ended with a line break, not sent)' : '';
  if (password === undefined || password === '') {
    err.write(
      'mml: set IMS_ADMIN_PASSWORD to the admin password of the server (or IMS_TOKEN to a token of mml --login)\n',
    );
    return 2;
  }
  let login;
  try {
    login = await post(`${base}/api/login`, { password }, timeoutMs, undefined, stop?.signal);
    for (let i = 0; i < LOGIN_RETRIES && login.status === 503; i++) {
      const after = Math.min(5, Math.max(1, Number(login.retryAfter) || 1));
      await within(stop?.stopped ?? new Promise(() => undefined), after * 1000);
      login = await post(`${base}/api/login`, { password }, timeoutMs, undefined, stop?.signal);
    }
  } catch (e) {
    if (stop?.received !== undefined) return exitCodeOf(stop.received);
    err.write(`mml: cannot reach ${base}: ${timedOut(e) ? `${noAnswer} to the login` : reachFault(e)}\n`);
    return 2;
  }
  if (login.status !== 200) {
    // 429 (locked out after failed logins) and 503 (still too many waiting) say how long to wait.
    const wait = login.retryAfter !== null ? ` (retry after ${login.retryAfter} s)` : '';
    const hint = login.status === 401 ? cut : '';
    err.write(`mml: login to ${base} refused (${login.status}): ${errorOf(login.data)}${wait}${hint}\n`);
    return 2;
  }
  return (login.data as { token: string }).token;
}

/** What `promise` resolved to within `ms`, or '' when it did not (its timer then cleared). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | ''> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<''>((resolve) => (timer = setTimeout(() => resolve(''), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Writes an answer's text with its line end (or, with --json, JSON Lines as they are); what went wrong, or undefined. */
async function writeAnswer(
  out: NodeJS.WritableStream,
  answer: string,
  escaped = false,
): Promise<string | undefined> {
  try {
    // What a SIP peer wrote in a header (a User-Agent in DSP REG) may carry ANSI escapes or a bare CR.
    const text = escaped ? answer : escapeControls(answer);
    await writeAll(out, text.endsWith('\n') ? text : `${text}\n`);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Why a request did not get through: fetch says only "fetch failed" and keeps the cause (connection
 * refused, a name not found, a TLS error, an unsupported scheme) in `cause`.
 */
function reachFault(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const message = (e as Error).message;
  if (cause === undefined) return message;
  // An https:// URL given a plain HTTP port: OpenSSL's message is two lines of its source file names.
  if (cause.code === 'ERR_SSL_WRONG_VERSION_NUMBER')
    return `no TLS there (${cause.code}): is it the console's plain HTTP port? Then IMS_URL starts with http://`;
  const detail = (cause.message ?? '').split('\n')[0]!.trim();
  return cause.code !== undefined && !detail.includes(cause.code)
    ? `${detail} (${cause.code})`
    : detail || message;
}
