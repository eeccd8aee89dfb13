// The command registry: every MML command is declared once (verb, object, typed parameters, handler),
// and lookup, validation, CONFIRM, HELP and completion all read those declarations, so they can never
// disagree with what the commands accept. Validation names the parameter and what it allows; a typo in
// a command or parameter name gets the nearest one suggested.
import { closest } from '../config/closest';
import { completions } from './completion';
import { allParams, commandName, CONFIRM_PARAM, MmlArgs, MmlError, RETCODE } from './command';
import type { MmlCommand, MmlResult, MmlValue } from './command';
import type { ParsedCommand } from './grammar';
import { helpCommand, helpResult } from './help';
import { missingColon } from './missing-colon';
import { coerceParam } from './params';

/** A command found and its parameters validated: ready to run. */
export interface PreparedCommand {
  command: MmlCommand;
  args: MmlArgs;
}

interface Entry {
  words: string[];
  command: MmlCommand;
}

const WORD = /^[A-Z][A-Z0-9_]*$/;
const NAME = /^[A-Z_][A-Z0-9_.]*$/;

export class MmlRegistry {
  readonly #byVerb = new Map<string, Entry[]>();
  readonly #commands: MmlCommand[] = [];

  constructor() {
    this.register(helpCommand(this));
  }

  /** Adds a command; throws on a declaration mistake (a duplicate, a bad name or default). */
  register(command: MmlCommand): this {
    const name = commandName(command);
    const problem = checkDeclaration(command);
    if (problem !== undefined) throw new Error(`MML command ${name}: ${problem}`);
    const entries = this.#byVerb.get(command.verb) ?? [];
    const objects = [command.object, ...(command.aliases ?? [])];
    for (const object of objects) {
      if (entries.some((e) => e.words.join(' ') === object)) {
        throw new Error(`MML command ${name}: ${command.verb} ${object} is registered already`);
      }
    }
    for (const object of objects) entries.push({ words: object === '' ? [] : object.split(' '), command });
    // Longest objects first: lookup takes the first entry whose words prefix the typed words.
    entries.sort((a, b) => b.words.length - a.words.length);
    this.#byVerb.set(command.verb, entries);
    this.#commands.push(command);
    return this;
  }

  registerAll(commands: Iterable<MmlCommand>): this {
    for (const c of commands) this.register(c);
    return this;
  }

  /** Every command, in registration order. */
  commands(): readonly MmlCommand[] {
    return this.#commands;
  }

  verbs(): string[] {
    return [...this.#byVerb.keys()].sort();
  }

  /** Objects of a verb (with aliases), sorted. */
  objectsOf(verb: string): string[] {
    return (this.#byVerb.get(verb.toUpperCase()) ?? []).map((e) => e.words.join(' ')).sort();
  }

  /** The command by its name, e.g. "DSP USER" or "add usr" (aliases work); undefined if none. */
  get(name: string): MmlCommand | undefined {
    const [verb = '', ...words] = name.trim().toUpperCase().split(/\s+/);
    const found = this.lookup(verb, words);
    return found !== undefined && found.rest.length === 0 ? found.command : undefined;
  }

  /** The command whose object is the longest prefix of `words`, and the words left over. */
  lookup(verb: string, words: readonly string[]): { command: MmlCommand; rest: string[] } | undefined {
    for (const e of this.#byVerb.get(verb.toUpperCase()) ?? []) {
      if (e.words.every((w, i) => words[i]?.toUpperCase() === w)) {
        return { command: e.command, rest: words.slice(e.words.length).map((w) => w.toUpperCase()) };
      }
    }
    return undefined;
  }

  /** Parameter names (with aliases) declared secret by any command: masked wherever text is kept. */
  secretParams(): Set<string> {
    const out = new Set<string>();
    for (const c of this.#commands) {
      for (const p of c.params) if (p.secret) for (const n of [p.name, ...(p.aliases ?? [])]) out.add(n);
    }
    return out;
  }

  /**
   * Finds the command and validates its parameters. Throws MmlError: UNKNOWN_COMMAND (with the nearest
   * command), PARAMETER_ERROR (naming the parameter and what it allows) or CONFIRM_REQUIRED.
   * `now` resolves dates such as TODAY.
   */
  prepare(parsed: ParsedCommand, now: number): PreparedCommand {
    const found = this.lookup(parsed.verb, parsed.words);
    if (found === undefined) throw this.#unknown(parsed);
    const { command, rest } = found;
    const name = commandName(command);

    const given = new Map<string, string>();
    /** How each given parameter was written: the word that implies it, or the name typed. */
    const source = new Map<string, string>();
    const words: string[] = [];
    const params = allParams(command);
    for (const word of rest) {
      if (command.words === 'any') {
        words.push(word);
        continue;
      }
      const implied = command.words?.[word];
      if (implied === undefined) {
        const known = Object.keys(command.words ?? {});
        // A parameter's name without its value: say so, not "did you mean" the same name.
        if (params.some((p) => p.name === word))
          throw new MmlError(
            RETCODE.PARAMETER_ERROR,
            `Parameter ${word} has no value: write ${word}=<value>`,
          );
        throw new MmlError(
          RETCODE.PARAMETER_ERROR,
          `Unexpected word ${word} after ${name}` +
            (known.length > 0 ? ` (it accepts ${known.join(', ')})` : '') +
            '; parameters are written NAME=value' +
            suggestion(word, [...known, ...params.map((p) => p.name)]),
        );
      }
      for (const [k, v] of Object.entries(implied)) {
        given.set(k, v);
        source.set(k, `the word ${word}`);
      }
      words.push(word);
    }

    for (const [typed, raw] of parsed.params) {
      const p = params.find((q) => q.name === typed || q.aliases?.includes(typed));
      if (p === undefined) {
        const names = params.map((q) => q.name);
        throw new MmlError(
          RETCODE.PARAMETER_ERROR,
          `Unknown parameter ${typed} for ${name}; ` +
            (names.length === 0 ? 'it takes no parameters' : `allowed: ${names.join(', ')}`) +
            suggestion(
              typed,
              params.flatMap((q) => [q.name, ...(q.aliases ?? [])]),
            ),
        );
      }
      const glued = parsed.positions.get(typed)?.quoted
        ? undefined
        : missingColon(command, params, typed, raw);
      if (glued !== undefined) throw new MmlError(RETCODE.PARAMETER_ERROR, glued);
      const earlier = source.get(p.name);
      if (earlier !== undefined) {
        throw new MmlError(
          RETCODE.PARAMETER_ERROR,
          `Parameter ${p.name} is given twice (${typed} and ${earlier})`,
        );
      }
      given.set(p.name, raw);
      source.set(p.name, typed);
    }

    const values = new Map<string, MmlValue>();
    // Every value that does not fit is named in the one answer, in the order typed, and then every
    // required parameter left out: a script with RATE=abc CONCURRENCY=0 is fixed in one round trip, not
    // one for each parameter (nor one for the CALLEE it forgot and another for its RATE=abc).
    const problems: { at: number; text: string }[] = [];
    for (const p of params) {
      const raw = given.get(p.name) ?? p.default;
      if (raw === undefined) {
        if (p.required && p !== CONFIRM_PARAM)
          problems.push({
            at: Infinity,
            text: `Missing parameter ${p.name} (${p.help}) required by ${name}`,
          });
        continue;
      }
      const c = coerceParam(p, raw, now);
      if (!c.ok) {
        // Named as the user wrote it: LINES=-5 is reported as LINES (LIMIT), not as a LIMIT never typed.
        const typed = source.get(p.name);
        const shown = typed !== undefined && p.aliases?.includes(typed) ? `${typed} (${p.name})` : p.name;
        const at = (typed === undefined ? undefined : parsed.positions.get(typed)?.valueStart) ?? Infinity;
        problems.push({ at, text: `Parameter ${shown}: ${c.problem}` });
        continue;
      }
      values.set(p.name, c.value);
    }
    if (problems.length > 0) {
      const lines = problems.sort((a, b) => a.at - b.at).map((q) => q.text);
      throw new MmlError(RETCODE.PARAMETER_ERROR, lines.join('\n'));
    }

    if (command.atLeastOne !== undefined && !command.atLeastOne.some((n) => values.has(n))) {
      throw new MmlError(
        RETCODE.PARAMETER_ERROR,
        `${name} needs at least one of ${command.atLeastOne.join(', ')}`,
      );
    }
    if (command.destructive && values.get(CONFIRM_PARAM.name) !== 'YES') {
      throw new MmlError(
        RETCODE.CONFIRM_REQUIRED,
        `${name} cannot be undone: add CONFIRM=YES to carry it out`,
      );
    }
    values.delete(CONFIRM_PARAM.name);
    return { command, args: new MmlArgs(values, words, new Set(given.keys())) };
  }

  /** HELP: all commands, the commands of a verb, or one command's parameters. */
  help(topic = ''): MmlResult {
    return helpResult(this, topic);
  }

  /** Completions of a partly typed command line: whole candidate lines, sorted. */
  complete(input: string): string[] {
    return completions(this, input);
  }

  /**
   * Is `guess` (a command line as typeable) a destructive command (CLR, RMV, or one that wants CONFIRM)
   * for another object than the one typed: an object that is not a typo of its own (CLR LOG is two
   * letters from CLR REG, as a word; CLR RGE is one)? Such a guess is never offered.
   */
  #anotherDestructive(parsed: ParsedCommand, guess: string): boolean {
    const [verb = '', ...objectWords] = guess.split(' ');
    const command = this.lookup(verb, objectWords)?.command;
    const destructive = command?.destructive === true || verb === 'CLR' || verb === 'RMV';
    const object = objectWords.join(' ');
    const typed = parsed.words.slice(0, Math.max(1, objectWords.length)).join(' ');
    return destructive && object !== '' && closest(typed, [object]) === undefined;
  }

  #unknown(parsed: ParsedCommand): MmlError {
    const typed = parsed.object === '' ? parsed.verb : `${parsed.verb} ${parsed.object}`;
    const absent = ABSENT[[parsed.verb, ...parsed.words.slice(0, 1)].join(' ')];
    if (absent !== undefined) return new MmlError(RETCODE.UNKNOWN_COMMAND, absent);
    const names = new Map<string, string>(); // as typeable (aliases too) → the command's name
    for (const c of this.#commands) {
      names.set(commandName(c), commandName(c));
      for (const a of c.aliases ?? []) names.set(`${c.verb} ${a}`, commandName(c));
    }
    // Compare with as many words as each candidate has: DSP CDR TODAY is close to DSP CDR.
    let guess: string | undefined;
    for (let n = parsed.words.length; n >= 0 && guess === undefined; n--) {
      const head = [parsed.verb, ...parsed.words.slice(0, n)].join(' ');
      guess = closest(
        head,
        [...names.keys()].filter((c) => c.split(' ').length === n + 1),
      );
    }
    if (guess !== undefined && this.#anotherDestructive(parsed, guess)) guess = undefined;
    const hint = guess === undefined ? '' : `. Did you mean ${names.get(guess)}?`;
    if (!this.#byVerb.has(parsed.verb)) {
      return new MmlError(
        RETCODE.UNKNOWN_COMMAND,
        `Unknown command ${typed}: there is no verb ${parsed.verb} (verbs: ${this.verbs().join(', ')})${hint}`,
      );
    }
    const objects = this.#commands
      .filter((c) => c.verb === parsed.verb && c.object !== '')
      .map((c) => c.object)
      .sort();
    if (parsed.words.length === 0) {
      return new MmlError(RETCODE.UNKNOWN_COMMAND, `${parsed.verb} needs an object: ${objects.join(', ')}`);
    }
    return new MmlError(
      RETCODE.UNKNOWN_COMMAND,
      `Unknown command ${typed}: ${parsed.verb} takes ${objects.join(', ')}${hint}`,
    );
  }
}

/**
 * Commands of the original (its command tree) that IMS Lab has not: what to do instead, rather than
 * the nearest command by spelling (CLR LOG was answered "Did you mean CLR REG?", which drops every
 * registration).
 */
const ABSENT: Readonly<Record<string, string>> = {
  'CLR LOG':
    'There is no CLR LOG: logs are not cleared by MML; they are day files under logs/ in the data folder (DSP SYSINFO shows it), to be deleted there',
  // The original's 重启服务 entry (a stub there: "RST 命令暂未实现").
  'RST SERVICE':
    'There is no RST SERVICE: IMS Lab is not restarted by MML; restart it where it was started (its service manager, docker restart, the desktop app), after SAVE CFG to keep the settings changed since',
};

function suggestion(typed: string, candidates: string[]): string {
  const guess = closest(typed, candidates);
  return guess === undefined ? '' : `. Did you mean ${guess}?`;
}

function checkDeclaration(c: MmlCommand): string | undefined {
  if (!WORD.test(c.verb)) return `verb "${c.verb}" must be upper-case letters`;
  for (const object of [c.object, ...(c.aliases ?? [])]) {
    if (object !== '' && !object.split(' ').every((w) => WORD.test(w))) {
      return `object "${object}" must be upper-case words`;
    }
  }
  const names = new Set<string>();
  for (const p of c.params) {
    for (const n of [p.name, ...(p.aliases ?? [])]) {
      if (!NAME.test(n)) return `parameter name "${n}" must be upper-case`;
      // A destructive command's CONFIRM is implicit (allParams); another may declare one of its own.
      if (names.has(n) || (c.destructive === true && n === CONFIRM_PARAM.name))
        return `parameter ${n} is declared twice`;
      names.add(n);
    }
    if (p.type === 'enum' && (p.values ?? []).length === 0) return `enum parameter ${p.name} has no values`;
    if (p.required && p.default !== undefined) return `parameter ${p.name} is required and has a default`;
    if (p.default !== undefined && !coerceParam(p, p.default, Date.now()).ok) {
      return `the default of ${p.name} (${p.default}) is not ${p.type}`;
    }
  }
  for (const n of c.atLeastOne ?? []) if (!names.has(n)) return `atLeastOne names unknown parameter ${n}`;
  if (c.words !== undefined && c.words !== 'any') {
    for (const [word, implied] of Object.entries(c.words)) {
      if (!WORD.test(word)) return `word "${word}" must be upper-case`;
      for (const k of Object.keys(implied))
        if (!names.has(k)) return `word ${word} sets unknown parameter ${k}`;
    }
  }
  return undefined;
}
