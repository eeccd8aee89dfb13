// What an MML command is (verb, object, typed parameters, handler), what it returns (a structured
// result: return code, message, tables with typed columns) and what its handler may use (the context).
// The terminal renders results as text (text.ts); dashboards render the same tables (DESIGN.md, One
// command language).
import type { Call, HangupBy } from '../calls/call';
import type { CdrStore } from '../cdr/cdr-store';
import type { Dialer } from '../dialer/dialer';
import type { Settings } from '../config/settings';
import type { LogRecord, RecentLogFilter } from '../observe/logger';
import type { LogLevel } from '../observe/log';
import type { ServerStatus } from '../observe/metrics';
import type { ReplyCounts } from '../observe/reply-counts';
import type { WriterFigures } from '../observe/writer-figures';
import type { PerfSource } from '../observe/perf-sampler';
import type { HeapFigures } from '../observe/resource-watch';
import type { Binding, RegistrationEvent } from '../sip/registrar/binding';
import type { SipUri } from '../sip/message/index';
import type { CertificateSummary } from '../sip/transport/tls-credentials';
import type { UserStore } from '../store/types';
import type { SipTrace } from '../trace/index';
import type { MmlHistory } from './history';

/** Return codes. 0 is success; every failure names its kind. */
export const RETCODE = {
  OK: 0,
  /** The text does not follow the grammar (or is empty). */
  SYNTAX_ERROR: 1,
  /** No such verb, or no such object for the verb. */
  UNKNOWN_COMMAND: 2,
  /** A parameter is missing, unknown, of the wrong type or out of range. */
  PARAMETER_ERROR: 3,
  /** A destructive command was given without CONFIRM=YES. */
  CONFIRM_REQUIRED: 4,
  /** The object named (user, registration...) does not exist. */
  NOT_FOUND: 5,
  /** The object to create exists already. */
  ALREADY_EXISTS: 6,
  /** The command was valid but could not be carried out (a file could not be read or written...). */
  OPERATION_FAILED: 7,
  /** Data the command was given (a file to import) is not valid; nothing was changed. */
  INVALID_DATA: 8,
  /** A fault of IMS Lab itself; the log has the details. */
  INTERNAL_ERROR: 99,
} as const;

export type Retcode = (typeof RETCODE)[keyof typeof RETCODE];

/** number: a decimal number of the unit, e.g. DURATION=2.5 seconds (the original took floats). */
export type MmlParamType = 'string' | 'integer' | 'number' | 'enum' | 'date' | 'ip' | 'boolean';

export interface MmlParam {
  /** Upper-case name as typed: USERNAME. */
  name: string;
  type: MmlParamType;
  help: string;
  required?: boolean;
  /** Applied when the parameter is not given (as text, coerced like a given value). */
  default?: string;
  /**
   * integer, number: smallest and largest value; string: shortest and longest length (without max,
   * MAX_TEXT_LENGTH applies: no value reaches the store unbounded).
   */
  min?: number;
  max?: number;
  /** enum: the allowed values, upper-case (input is matched case-insensitively). */
  values?: readonly string[];
  /** enum: the allowed value another name stands for (the original's), or undefined. */
  renamed?: (value: string) => string | undefined;
  /** enum: what to say of a value not allowed, when listing every allowed one would be too long. */
  unknown?: (value: string) => string;
  /** ip: an IPv6 /64 (`2001:db8::/64`, as DSP LOCKOUT lists one) is taken too. */
  prefix64?: boolean;
  /** Other names accepted for it, e.g. NAME for DISPLAYNAME (the original's name). */
  aliases?: readonly string[];
  /** Never echoed: masked in the history and in messages (passwords). */
  secret?: boolean;
  /**
   * Values the terminal's completion offers for a parameter that is no enum, given the others typed
   * (upper-case names → values): SET CFG's VALUE takes those of the setting KEY names.
   */
  suggest?: (given: ReadonlyMap<string, string>) => readonly string[];
}

/** A coerced parameter value: string, integer, enum (upper-case), date (YYYY-MM-DD), IP, boolean. */
export type MmlValue = string | number | boolean;

/** The validated parameters a handler receives, by upper-case name (aliases resolved). */
export class MmlArgs {
  constructor(
    private readonly values: ReadonlyMap<string, MmlValue>,
    /** Bare words after the object that the command accepts (e.g. HELP DSP USER → ['DSP', 'USER']). */
    readonly words: readonly string[] = [],
    /** The parameters typed (the others are defaults or absent); all of them when not told. */
    private readonly typed?: ReadonlySet<string>,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Was this parameter typed, not filled in by its default? */
  given(name: string): boolean {
    return this.typed === undefined ? this.values.has(name) : this.typed.has(name);
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  optStr(name: string): string | undefined {
    const v = this.values.get(name);
    return v === undefined ? undefined : String(v);
  }

  str(name: string): string {
    return String(this.need(name));
  }

  optInt(name: string): number | undefined {
    const v = this.values.get(name);
    return v === undefined ? undefined : Number(v);
  }

  int(name: string): number {
    return Number(this.need(name));
  }

  /** A 'number' parameter (decimals allowed). */
  optNum(name: string): number | undefined {
    return this.optInt(name);
  }

  num(name: string): number {
    return this.int(name);
  }

  optBool(name: string): boolean | undefined {
    const v = this.values.get(name);
    return v === undefined ? undefined : v === true;
  }

  bool(name: string): boolean {
    return this.need(name) === true;
  }

  private need(name: string): MmlValue {
    const v = this.values.get(name);
    // The registry checked required parameters and applied defaults: this is a declaration bug.
    if (v === undefined) throw new Error(`MML handler read ${name}, which is neither given nor defaulted`);
    return v;
  }
}

export type MmlColumnType = 'string' | 'integer' | 'number' | 'time' | 'boolean';

export interface MmlColumn {
  /** The column's name in every language (its English name; the engine sets it: lang.ts withKeys). */
  key?: string;
  /** The name shown, in the answer's language. */
  name: string;
  type: MmlColumnType;
  /**
   * A time shown to the millisecond (YYYY-MM-DD HH:MM:SS.mmm): one a command takes back, where the second
   * would name two moments (DSP USER's Updated, typed as MOD USER IF_UPDATED=).
   */
  ms?: boolean;
}

/**
 * A table of results. Cells follow their column's type: string, integer/number, boolean, and time as
 * milliseconds since the epoch; null or undefined for "no value".
 */
export interface MmlTable {
  /** The table's title in every language (its English title; set with the columns' keys). */
  key?: string;
  title?: string;
  columns: MmlColumn[];
  rows: unknown[][];
  /** When rows is one page of more: how many there are in all. */
  total?: number;
}

export interface MmlResult {
  retcode: number;
  message: string;
  tables: MmlTable[];
  /** The change is stored but takes effect only after a restart. */
  restartNeeded?: boolean;
  /** The statement that shows the next page, when there is one (every paged DSP sets it): for scripts. */
  next?: string;
  /** The statement this result answers (secret values masked); set by the engine. */
  command?: string;
  /** The line of the script the statement is on, when the script has more than one line (the engine's). */
  line?: number;
  /** The language it was answered in, when not English (the text rendering follows it). */
  lang?: 'zh';
}

/** A handler's way out with a failure: the engine turns it into a result with that code. */
export class MmlError extends Error {
  constructor(
    readonly retcode: Retcode,
    message: string,
  ) {
    super(message);
    this.name = 'MmlError';
  }
}

export const OK_MESSAGE = 'Operation succeeded';

export function ok(message = OK_MESSAGE, tables: MmlTable[] = []): MmlResult {
  return { retcode: RETCODE.OK, message, tables };
}

export function failure(retcode: Retcode, message: string): MmlResult {
  return { retcode, message, tables: [] };
}

/** The location service as MML sees it (LocationService implements it). */
export interface MmlLocation {
  readonly aorCount: number;
  readonly bindingCount: number;
  lookup(aor: string): Binding[];
  /** Every AOR with its bindings. */
  entries(): Iterable<[string, Binding[]]>;
  /** The AORs filed under a user part (core/sip/registrar/aor-user.ts), in any domain; no scan. */
  aorsOfUser(user: string): string[];
  /** Every user part that has an AOR. */
  registeredUsers(): string[];
  removeAor(aor: string, cause?: RegistrationEvent['cause']): number;
  /** Removes every binding of a user's AORs; returns how many live ones went. */
  removeUser(user: string, cause: RegistrationEvent['cause']): number;
  /** Removes one binding; returns it, or undefined when there was none. */
  remove(aor: string, contact: string, cause?: RegistrationEvent['cause']): Binding | undefined;
  clear(cause?: RegistrationEvent['cause']): number;
}

/** The log as MML sees it (core/observe/logger.ts Logger implements it). */
export interface MmlLog {
  readonly level: LogLevel;
  setLevel(level: LogLevel): void;
  /** The newest `limit` records kept in memory that match, oldest first. */
  recent(limit: number, filter?: RecentLogFilter): LogRecord[];
  /** As recent(), of the records numbered below `before`; `next`: the number older ones page on with. */
  recentPage(
    limit: number,
    filter?: RecentLogFilter,
    before?: number,
  ): { records: LogRecord[]; next?: number };
}

/** The live calls as MML sees them (core/sip/proxy/call-tracker.ts CallTracker implements it). */
export interface MmlCalls {
  readonly size: number;
  /** Snapshots of the live calls. */
  list(): Call[];
  get(id: string): Call | undefined;
  /** Now on a live call's own clock (its start plus the steady time since); undefined when it is gone. */
  nowIn?(id: string): number | undefined;
  /** Ends a call: BYE both ways when answered, CANCEL otherwise. False when there is no such call. */
  end(id: string, by?: HangupBy, reason?: string): boolean;
}

/**
 * What handlers may use. The composition root builds one; tests build one on real parts. The optional
 * parts are absent where they do not run (a context built for tests, a tool on the database only); the
 * commands that need one answer OPERATION_FAILED naming it.
 */
export interface MmlContext {
  users: UserStore;
  location: MmlLocation;
  /** Live settings: SET CFG changes them through Settings.change (whose listeners apply the change). */
  settings: Settings;
  log: MmlLog;
  history: MmlHistory;
  /** The data directory: config.json, exports/, imports with relative paths. */
  dataDir: string;
  /** Why what is written now would be lost (the database file gone from the data folder), else undefined. */
  databaseGone?: () => string | undefined;
  now(): number;
  /** The proxy's live calls (DSP CALL, RMV CALL, CLR CALL, DSP CALL STAT). */
  calls?: MmlCalls;
  /** The call detail records (DSP CDR, DSP CDR STAT, EXP CDR, CLR CDR, DSP CALL STAT). */
  cdr?: CdrStore;
  /** The CPU/MEM/NET/MSG sampler (DSP PERF). */
  perf?: PerfSource;
  /** The server status now: ports, address, uptime, registrations, calls, transactions (DSP SRVSTAT). */
  status?: () => ServerStatus;
  /** SIP responses by direction, CSeq method and class (DSP PERF MSG; /metrics' sip_replies_total). */
  replies?: ReplyCounts;
  /** The CDR, HEP and trace.db writers' counts since start (DSP PERF MSG; /metrics' ims_cdr_*, ims_hep_*...). */
  writers?: () => WriterFigures;
  /** The TLS certificate in force (DSP SRVSTAT); undefined when TLS and WSS are off. */
  tlsCertificate?: () => CertificateSummary | undefined;
  /** The authentication lockouts in force (DSP LOCKOUT, RMV LOCKOUT). */
  lockouts?: MmlLockouts;
  /** The SIP trace (DSP TRACE, EXP TRACE, SET TRACE, CLR TRACE). */
  trace?: SipTrace;
  /** The auto dialer (STR/STP/DSP DIALSVC, STR/STP CALL). */
  dialer?: Dialer;
  /**
   * The canonical AOR a SIP URI names as the registrar and routing read it (Registrar.aorNamedBy: the
   * server's own address with or without its port, localhost, a served domain), so that DSP REG URI= and
   * RMV REG URI= find the phone wherever it is called; absent, a URI names only the AOR written so.
   */
  aorNamedBy?: (uri: SipUri) => string | undefined;
  /** The JavaScript heap's figures (default V8's): an answer too large for what is left is refused. */
  heap?: () => HeapFigures;
}

/** What DSP LOCKOUT / RMV LOCKOUT see of the digest lockout (core/sip/auth/lockout.ts). */
export interface MmlLockouts {
  locks(): { source: string; user: string | undefined; secondsLeft: number }[];
  /** Lifts the locks and failure counts of an address, of a user name, or of both together. */
  lift(which: { source?: string; user?: string }): number;
}

/** Who runs the command and what they typed (for handlers that record or report it). */
export interface MmlInvocation {
  who: string;
  /** The statement, secret values masked. */
  text: string;
  /** The language the answer is wanted in (default English); HELP describes commands in it. */
  lang?: 'en' | 'zh';
}

export type MmlHandler = (
  args: MmlArgs,
  ctx: MmlContext,
  call: MmlInvocation,
) => MmlResult | Promise<MmlResult>;

export interface MmlCommand {
  /** Upper-case verb: DSP. */
  verb: string;
  /** Upper-case object, one or more words: USER, CALL STAT. */
  object: string;
  /** Other objects accepted for it, e.g. USR for USER (the original's aliases). */
  aliases?: readonly string[];
  /** The area it belongs to in HELP: User, Registration, Configuration, Log, System... */
  group: string;
  help: string;
  params: readonly MmlParam[];
  /** At least one of these parameters must be given (MOD USER: something to change). */
  atLeastOne?: readonly string[];
  /**
   * Bare words accepted after the object and what they mean: parameters they stand for, e.g. the
   * original's DSP CDR TODAY → { DATE: 'TODAY' }, or {} for a word that is accepted and means nothing
   * more (DSP USER ALL). 'any': every following word is passed to the handler (HELP DSP USER).
   */
  words?: Readonly<Record<string, Readonly<Record<string, string>>>> | 'any';
  /** Needs CONFIRM=YES: it removes or overwrites something. */
  destructive?: boolean;
  /**
   * Changes what the database keeps: refused (RETCODE 7) while the database file is gone from the data
   * folder (MmlContext.databaseGone), where RETCODE 0 told of a change the next start would not have.
   */
  stores?: boolean;
  handler: MmlHandler;
}

/** The implicit parameter of destructive commands. */
export const CONFIRM_PARAM: MmlParam = {
  name: 'CONFIRM',
  type: 'enum',
  values: ['YES', 'NO'],
  required: true,
  help: 'YES to carry out this command, which cannot be undone',
};

/** The declared parameters, plus CONFIRM for destructive commands. */
export function allParams(command: MmlCommand): readonly MmlParam[] {
  return command.destructive ? [...command.params, CONFIRM_PARAM] : command.params;
}

/** Display name of a command: "DSP USER", "HELP". */
export const commandName = (c: MmlCommand): string => (c.object === '' ? c.verb : `${c.verb} ${c.object}`);
