// Completion for the terminal: given the text typed so far, the whole lines it may become, from the
// registry's declarations: verbs, objects of a verb, the parameters a command still lacks (NAME=), the
// values of enum and boolean parameters, and the words a command accepts (DSP USER ALL). Both forms
// are understood: `DSP USER STA` and `DSP USER:USERNAME=1001,STA`. Only the last statement of the input
// is completed; what precedes it is kept as typed.
import { allParams, commandName } from './command';
import type { MmlCommand } from './command';
import { HELP_TOPICS } from './help-topics';
import type { MmlRegistry } from './registry';

const upper = (s: string): string => s.toUpperCase();

/** Names (upper-case) of the parameters written NAME=... in a piece of text. */
function givenNames(text: string): Set<string> {
  return new Set([...text.matchAll(/([A-Za-z_][A-Za-z0-9_.]*)\s*=/g)].map((m) => upper(m[1]!)));
}

/** The parameters written NAME=value in a piece of text: upper-case name → value (unquoted). */
function givenValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,;]*)/g)) {
    const value = m[2]!;
    out.set(upper(m[1]!), value.startsWith('"') ? value.slice(1, -1) : value);
  }
  return out;
}

/** Completions of one parameter token (NAME, NAME=, NAME=val) for a command. */
function paramCandidates(
  command: MmlCommand,
  partial: string,
  given: Set<string>,
  allowWords: boolean,
  others: ReadonlyMap<string, string> = new Map(),
): string[] {
  const params = allParams(command);
  const eq = partial.indexOf('=');
  if (eq >= 0) {
    const name = upper(partial.slice(0, eq).trim());
    const typed = upper(partial.slice(eq + 1).trim());
    const p = params.find((q) => q.name === name || q.aliases?.includes(name));
    if (p === undefined) return [];
    const values =
      p.type === 'enum'
        ? (p.values ?? [])
        : p.type === 'boolean'
          ? ['YES', 'NO']
          : (p.suggest?.(others) ?? []);
    return values.filter((v) => v.startsWith(typed)).map((v) => `${partial.slice(0, eq)}=${v}`);
  }
  const wanted = upper(partial);
  const out = params
    .filter((p) => !given.has(p.name) && !(p.aliases ?? []).some((a) => given.has(a)))
    .map((p) => p.name)
    .filter((n) => n.startsWith(wanted))
    .map((n) => `${n}=`);
  if (allowWords && command.words !== undefined && command.words !== 'any') {
    out.push(...Object.keys(command.words).filter((w) => w.startsWith(wanted)));
  }
  return out;
}

export function completions(registry: MmlRegistry, input: string): string[] {
  const cut = Math.max(input.lastIndexOf('\n'), input.lastIndexOf(';')) + 1;
  const line = input.slice(cut);
  const body = line.trimStart();
  const prefix = input.slice(0, input.length - body.length);
  const out = new Set<string>();

  const colon = body.indexOf(':');
  if (colon >= 0) {
    // Huawei form: VERB OBJECT:A=1,B=2,partial
    const [verb = '', ...words] = body.slice(0, colon).trim().split(/\s+/);
    const found = registry.lookup(verb, words);
    if (found === undefined || found.rest.length > 0) return [];
    const params = body.slice(colon + 1);
    const start = params.lastIndexOf(',') + 1;
    const partialRaw = params.slice(start);
    const partial = partialRaw.trimStart();
    const base =
      prefix +
      body.slice(0, colon + 1) +
      params.slice(0, start) +
      partialRaw.slice(0, partialRaw.length - partial.length);
    const before = params.slice(0, start);
    for (const c of paramCandidates(found.command, partial, givenNames(before), false, givenValues(before))) {
      out.add(base + c);
    }
    return [...out].sort();
  }

  const tokens = body.split(/\s+/).filter((t) => t !== '');
  const trailingSpace = body === '' || /\s$/.test(body);
  const partial = trailingSpace ? '' : (tokens.pop() ?? '');
  const base = prefix + body.slice(0, body.length - partial.length);

  if (tokens.length === 0) {
    for (const v of registry.verbs()) if (v.startsWith(upper(partial))) out.add(prefix + v);
    return [...out].sort();
  }

  const verb = upper(tokens[0]!);
  const after = tokens.slice(1);
  // HELP <command>: the verbs and HELP's topics (HELP H → HELP HOTKEY), then the commands of one (HELP D →
  // HELP DSP, HELP ADD U → HELP ADD USER).
  if (verb === 'HELP' && !after.some((t) => t.includes('=')) && !partial.includes('=')) {
    const typedWords = [...after, partial].map(upper);
    const names = [...registry.verbs(), ...HELP_TOPICS, ...registry.commands().map(commandName)];
    for (const name of names) {
      const words = name.split(' ');
      if (words.length !== typedWords.length) continue;
      if (
        words.every((w, i) => (i === words.length - 1 ? w.startsWith(typedWords[i]!) : w === typedWords[i]))
      )
        out.add(`${prefix}${tokens[0]} ${name}`);
    }
  }
  const firstParam = after.findIndex((t) => t.includes('='));
  const words = (firstParam < 0 ? after : after.slice(0, firstParam)).map(upper);
  const commands = registry.commands().filter((c) => c.verb === verb);

  // Object words, while no parameter has been typed.
  if (firstParam < 0 && !partial.includes('=')) {
    // A command by its object, or else by another name of it that the typed words fit (the original's
    // SET LOGLEVEL: SET LOGL completes it; DSP offers DSP CFG, not also DSP SYSCFG).
    const fits = (object: string): boolean => {
      const objectWords = object === '' ? [] : object.split(' ');
      const n = words.length;
      return (
        objectWords.length > n &&
        objectWords.slice(0, n).every((w, i) => w === words[i]) &&
        objectWords[n]!.startsWith(upper(partial))
      );
    };
    for (const c of commands) {
      if (fits(c.object)) out.add(`${prefix}${commandName(c)}`);
      else for (const alias of (c.aliases ?? []).filter(fits)) out.add(`${prefix}${c.verb} ${alias}`);
    }
  }

  // Parameters (and words) of the command the words name.
  const found = registry.lookup(verb, words);
  if (found !== undefined) {
    const accepted = found.command.words;
    const wordsOk = accepted === 'any' || found.rest.every((w) => accepted !== undefined && w in accepted);
    if (wordsOk) {
      const given = givenNames(after.join(' '));
      const allowWords = firstParam < 0;
      for (const c of paramCandidates(
        found.command,
        partial,
        given,
        allowWords,
        givenValues(after.join(' ')),
      )) {
        if (allowWords && !c.endsWith('=') && !c.includes('=') && found.rest.includes(c)) continue;
        out.add(base + c);
      }
    }
  }
  return [...out].sort();
}
