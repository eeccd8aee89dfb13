// The MML engine: runs a script (one command, or many, one per line) and answers each statement with a
// structured result. A failing statement does not stop the script: every statement is run and reported,
// as an operator pasting a batch of ADD USER lines expects. Every statement (run or refused) is appended
// to the persistent history with who ran it, when, and its return code; secret values (passwords) are
// masked there and in the results.
import { closest } from '../config/closest';
import { SETTINGS } from '../config/settings';
import type { Log } from '../observe/log';
import { failure, MmlError, RETCODE } from './command';
import { translate, withKeys } from './lang';
import { capEchoes } from './long-values';
import type { MmlExecuteOptions, MmlLang } from './lang';
import type { MmlContext, MmlResult } from './command';
import { MmlSyntaxError, parseCommand, splitScript } from './grammar';
import type { ParsedCommand } from './grammar';
import { MASK, MASK_GIVEN } from './mask';
import type { MmlRegistry } from './registry';
import { storeFault } from './store-fault';
import { isDatabaseDamage } from '../store/database-damage';
import { nextTurn } from '../observe/next-turn';

export interface MmlEngineOptions {
  /** Where the engine reports its own faults (a handler that threw, a history write that failed). */
  log?: Log;
  /** Told when a command found the database damaged (its answer's text), for /healthz to say. */
  onDatabaseDamage?: (text: string) => void;
  /** Told when a command's write met a full disk (SQLITE_FULL): its leftover WAL is to be given back. */
  onDiskFull?: () => void;
  /**
   * Aborted when the appliance stops: the statements of a script not yet started are then not run, and
   * one result (RETCODE 7) names their lines; those that ran are answered as usual.
   */
  stopping?: AbortSignal;
}

/** One executed statement, as announced to onExecuted listeners (dashboards, the live history). */
export interface MmlExecution {
  who: string;
  at: number;
  command: string;
  result: MmlResult;
}

const SECRET_SETTINGS = new Set(SETTINGS.filter((d) => d.secret === true).map((d) => d.key));

const SETTING_KEYS = new Set(SETTINGS.map((d) => d.key));

/** An unknown key's words that say secret (TRACE.HEP_KEY, HEP_AUTH_KEY, DIALER.PW): none of a setting's. */
const SECRET_KEY_WORD = /PASS|PW|SECRET|KEY/i;

/**
 * Does SET CFG's KEY name a secret setting, or one meant: an unknown key the answer takes for a secret one
 * ("did you mean DIALER.PASSWORD?" for DIALER.PASWORD, TRACE.HEP_AUTH_KEY for TRACE.HEP_AUTHKEY), or
 * close to none and saying key/password (TRACE.HEP_KEY, HEP_AUTH_KEY). Its VALUE is then masked: the
 * statement is refused, but the value typed was the secret. A typo of a setting that is no secret
 * (SIP.TLS_KEYS for the key file's path) is not.
 */
function namesSecretSetting(key: string): boolean {
  const name = key.trim().toUpperCase();
  if (SETTING_KEYS.has(name)) return SECRET_SETTINGS.has(name);
  if (SECRET_NAME.test(name)) return true;
  const near = closest(name, SETTING_KEYS);
  return near !== undefined ? SECRET_SETTINGS.has(near) : SECRET_KEY_WORD.test(name);
}

export { MASK };

/**
 * Statements run per turn of the event loop. Handlers are mostly synchronous, and awaiting one lets only
 * microtasks in: a 6,000-line script of MOD USER held the loop 0.6 s, and SIP waited (a few ms a turn now).
 */
const STATEMENTS_PER_TURN = 25;

/** The answer for the statements of a script left when the server began to stop (lines first-last). */
function notRunStopping(first: number, last: number): MmlResult {
  const lines = first === last ? `line ${first}` : `lines ${first}-${last}`;
  return failure(RETCODE.OPERATION_FAILED, `Not run: the server is stopping (${lines})`);
}

/** Verbs that only read: not logged at INFO. */
const READ_ONLY_VERBS = new Set(['DSP', 'HELP', 'EXP', 'LST']);

export class MmlEngine {
  readonly #listeners = new Set<(e: MmlExecution) => void>();

  constructor(
    readonly registry: MmlRegistry,
    private readonly ctx: MmlContext,
    private readonly options: MmlEngineOptions = {},
  ) {}

  /**
   * Runs every statement of a script in order and returns one result per statement. A script with no
   * statement (blank, or only comments) gets one SYNTAX_ERROR result and is not recorded.
   * options.lang: the answers' language (lang.ts); keywords and parameter names stay English.
   */
  async execute(script: string, who: string, options: MmlExecuteOptions = {}): Promise<MmlResult[]> {
    const lang: MmlLang = options.lang ?? 'en';
    const offset = (options.firstLine ?? 1) - 1;
    const statements = splitScript(script).map((s) => (offset === 0 ? s : { ...s, line: s.line + offset }));
    if (statements.length === 0) {
      return [
        translate(
          failure(RETCODE.SYNTAX_ERROR, 'Empty command: type a command such as DSP USER, or HELP'),
          lang,
        ),
      ];
    }
    const multiline = statements.some((s) => s.line > 1);
    const secrets = this.registry.secretParams(); // commands may have been registered since the last run
    const results: MmlResult[] = [];
    for (const [i, st] of statements.entries()) {
      if (i > 0 && i % STATEMENTS_PER_TURN === 0) await nextTurn();
      if (this.options.stopping?.aborted) {
        const notRun = notRunStopping(st.line, statements[statements.length - 1]!.line);
        if (multiline) notRun.line = st.line;
        results.push(translate(notRun, lang));
        break;
      }
      const at = this.ctx.now();
      let parsed: ParsedCommand | undefined;
      let result: MmlResult;
      let command: string;
      try {
        parsed = parseCommand(st.text, st.line, st.column);
        command = mask(st.text, parsed, secrets);
      } catch (err) {
        if (!(err instanceof MmlSyntaxError)) throw err;
        const masked = maskText(st.text, secrets);
        command = masked.text;
        const where = multiline ? `line ${err.line}, column ${err.column}` : `column ${err.column}`;
        result = failure(
          RETCODE.SYNTAX_ERROR,
          `Syntax error at ${where}: ${maskReason(err.reason, masked.hidden)}`,
        );
      }
      if (parsed !== undefined)
        result = maskGiven(parsed, secrets) ?? (await this.#run(parsed, who, command, at, lang));
      // An error quotes an over-long value cut (the history, the log and the client's summary repeat it).
      if (result!.retcode !== RETCODE.OK) result!.message = capEchoes(result!.message, st.text);
      // Keys first: the listeners (the console's live history) get the columns' keys too.
      result = withKeys(result!);
      result.command = command;
      // In a script, each answer says its line (a failed MOD USER among 3,000 like it can be found).
      if (multiline) result!.line = st.line;
      this.#record({ who, at, command, result: result! });
      results.push(translate(result!, lang));
    }
    return results;
  }

  /** Completions of a partly typed line (see completion.ts). */
  complete(input: string): string[] {
    return this.registry.complete(input);
  }

  /** Called after every executed statement; returns the unsubscribe function. */
  onExecuted(listener: (e: MmlExecution) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #run(
    parsed: ParsedCommand,
    who: string,
    text: string,
    at: number,
    lang: MmlLang,
  ): Promise<MmlResult> {
    try {
      const { command, args } = this.registry.prepare(parsed, at);
      const gone = command.stores ? this.ctx.databaseGone?.() : undefined;
      if (gone !== undefined) return failure(RETCODE.OPERATION_FAILED, `Not done: ${gone}`);
      return await command.handler(args, this.ctx, { who, text, lang });
    } catch (err) {
      if (err instanceof MmlError) return failure(err.retcode, err.message);
      const fault = storeFault(err, this.ctx.dataDir);
      if (fault !== undefined) {
        this.options.log?.error(`MML: ${text} failed: ${fault}`);
        if (isDatabaseDamage(err)) this.options.onDatabaseDamage?.(fault);
        if ((err as { code?: unknown }).code === 'SQLITE_FULL') this.options.onDiskFull?.();
        return failure(RETCODE.OPERATION_FAILED, fault);
      }
      const reason = err instanceof Error ? err.message : String(err);
      this.options.log?.error(
        `MML: ${text} failed: ${err instanceof Error ? (err.stack ?? reason) : reason}`,
      );
      return failure(RETCODE.INTERNAL_ERROR, `Command failed: ${reason}`);
    }
  }

  #record(e: MmlExecution): void {
    // The log tells every command that changes something (not DSP, HELP, EXP), with its outcome.
    const verb = /^\s*(\w+)/.exec(e.command)?.[1]?.toUpperCase() ?? '';
    if (verb !== '' && !READ_ONLY_VERBS.has(verb)) {
      const first = e.result.message.split('\n')[0];
      this.options.log?.info(
        `MML ${e.who}: ${e.command} → RETCODE ${e.result.retcode}${first ? ` ${first}` : ''}`,
      );
    }
    try {
      this.ctx.history.append({
        at: e.at,
        who: e.who,
        command: e.command,
        retcode: e.result.retcode,
        message: e.result.message,
      });
    } catch (err) {
      this.options.log?.error(`MML: cannot record "${e.command}" in the history: ${String(err)}`);
    }
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch (err) {
        this.options.log?.error(`MML: an onExecuted listener failed: ${String(err)}`);
      }
    }
  }
}

/**
 * A name that says secret (PASSWORD mistyped PASSWD, PWD, NEWPASSWORD; DIALER.PASSWD): masked though no
 * command declares it, as the statement is refused for it after it was written to the history.
 */
const SECRET_NAME = /PASS|PWD|SECRET/i;
/** A value holding a secret's NAME=value (USERNAME=2008,PASSWORD=x in the plain form: one value). */
const SECRET_INSIDE = /(?:PASS\w*|PWD|SECRET\w*)\s*=/i;
/** SET CFG's VALUE= run into KEY's value (`KEY=TRACE.HEP_AUTH_KEY,VALUE=k1`). */
const VALUE_INSIDE = /[\s,]VALUE\s*[=:]/i;

/** The parameters of a parsed statement whose values are secrets. */
function secretParams(parsed: ParsedCommand, secrets: ReadonlySet<string>): string[] {
  // SET CFG KEY=DIALER.PASSWORD VALUE=...: the value of a secret setting is a secret too.
  const key = parsed.params.get('KEY');
  const keyName = key?.split(/[\s,]/, 1)[0];
  const secretKey = keyName !== undefined && namesSecretSetting(keyName);
  // KEY=DIALER.PASSWORD,VALUE=x without the colon: the value is inside KEY's (refused for it, echoed).
  const valueInKey = secretKey && VALUE_INSIDE.test(key!);
  return [...parsed.positions.keys()].filter(
    (name) =>
      secrets.has(name) ||
      (secretKey && name === 'VALUE') ||
      (valueInKey && name === 'KEY') ||
      SECRET_NAME.test(name) ||
      SECRET_INSIDE.test(parsed.params.get(name) ?? ''),
  );
}

/**
 * A secret given as the mask itself: a statement recalled from the history (↑ in the terminal, DSP
 * HISTORY) and run again would set the password to "*****".
 */
function maskGiven(parsed: ParsedCommand, secrets: ReadonlySet<string>): MmlResult | undefined {
  const name = secretParams(parsed, secrets).find((n) => parsed.params.get(n) === MASK);
  return name === undefined
    ? undefined
    : failure(RETCODE.PARAMETER_ERROR, `Parameter ${name}: ${MASK_GIVEN}`);
}

/** The statement with the values of secret parameters replaced by MASK, without a final ';'. */
function mask(text: string, parsed: ParsedCommand, secrets: ReadonlySet<string>): string {
  let out = text;
  const spans = secretParams(parsed, secrets)
    .map((name) => parsed.positions.get(name)!)
    .sort((a, b) => b.valueStart - a.valueStart);
  for (const s of spans) out = out.slice(0, s.valueStart) + MASK + out.slice(s.valueEnd);
  return out.replace(/\s*;\s*$/, '');
}

/**
 * The next command's verb and object after a value (lines of a script joined by a paste into one line:
 * `PASSWORD=a ADD USER USERNAME=7772`): where a masked value ends at the latest, so the echo and the error
 * keep the commands that follow. A verb alone (`PASSWORD=my help`) may be a piece of the password.
 */
const NEXT_COMMAND = String.raw`[\s;]+(?:ADD|MOD|RMV|DSP|LST|SET|STR|STP|CLR|EXP|IMP|SAVE|RST|HELP)(?:[ \t]+[A-Za-z]|[ \t]*:)`;

/** KEY=<setting>, quoted or not, in a statement that does not parse (right after a quote: VALUE="x"KEY=). */
const KEY_TEXT = /(?:^|[\s,:"])KEY\s*=\s*"?([\w.]+)/gi;

/**
 * Best effort for a statement that does not parse: mask NAME=value (or NAME:value, a colon typed for the
 * "=") of every secret name, and every
 * VALUE=... when the statement names a secret setting anywhere (SET CFG KEY=DIALER.PASSWORD VALUE=...
 * with a stray word, a second VALUE, or an unterminated quote). A value is masked up to the next NAME=, the
 * next command's verb and object (NEXT_COMMAND) or the end, a quoted one too (its quotes may hold a ';'): a password with a space or a ';' left unquoted, or
 * text after its closing quote ("a""b", "abc"def), is why the statement did not parse.
 * Returns the text and what was hidden (the error message may quote it).
 */
function maskText(text: string, secrets: ReadonlySet<string>): { text: string; hidden: string[] } {
  let out = text;
  const hidden: string[] = [];
  const secretKey = [...text.matchAll(KEY_TEXT)].some((m) => namesSecretSetting(m[1]!));
  for (const name of secretKey ? [...secrets, 'VALUE'] : secrets) {
    const re = new RegExp(
      `(^|[\\s,:])(${name.replace(/\./g, '\\.')}\\s*[=:]\\s*)((?:"(?:[^"\\\\]|\\\\.)*"?)?.*?(?=[\\s,:;]+[A-Za-z_][\\w.]*\\s*=|${NEXT_COMMAND}|$))`,
      'gis',
    );
    out = out.replace(re, (_m, lead: string, assign: string, value: string) => {
      hidden.push(value);
      return `${lead}${assign}${MASK}`;
    });
  }
  return { text: out.replace(/\s*;\s*$/, ''), hidden };
}

/**
 * A syntax error's reason with what maskText hid taken out: the parser quotes the word it stumbled on
 * ('unexpected word "secretword"', 'expected "=" after RET99'), which may be a piece of a password.
 */
function maskReason(reason: string, hidden: readonly string[]): string {
  const words = hidden.flatMap((h) => h.split(/[\s,;:"=]+/)).filter((w) => w !== '');
  // What the parser quotes may be a piece of a word ('unexpected "d" after the quoted value').
  let out = reason.replace(/"([^"]+)"/g, (quoted, piece: string) =>
    words.some((w) => w.toLowerCase().includes(piece.toLowerCase())) ? `"${MASK}"` : quoted,
  );
  for (const word of words) {
    const literal = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`"${literal}"`, 'gi'), `"${MASK}"`);
    if (word.length >= 3) out = out.replace(new RegExp(`(?<![\\w.])${literal}(?![\\w.])`, 'gi'), MASK);
  }
  return out;
}
