// Configuration commands (reference §1.2 配置管理, §5.3): DSP CFG, SET CFG, EXP CFG and SAVE CFG over the
// Settings table (core/config/settings.ts). SET CFG validates through Settings and changes the running
// value (Settings.change tells the listeners the composition root wired, which apply it); settings that
// need a restart say so. SAVE CFG, which always failed in the original, writes <dataDir>/config.json.
import { allowedText } from '../../config/allowed-text';
import { definition, renamedSetting, SETTINGS, SettingError } from '../../config/settings';
import type { SettingDefinition, Settings, SettingValue } from '../../config/settings';
import type { LogLevel } from '../../observe/log';
import { DATA_FOLDER_FILE_SETTINGS, relativeToDataFolder } from '../../store/data-folder-path';
import { localIsoTime } from '../../store/local-time';
import { IMS_VERSION } from '../../version';
import { MmlError, ok, RETCODE } from '../command';
import { portTakenElsewhere } from './listener-port';
import { changeTlsPair, halfPairProblem } from './tls-pair';
import { changeDialerPorts, DIALER_PORT_PARAMS, dialerPortsGiven } from './dialer-ports';
import { checkIfValue, IF_TLS_KEY, IF_VALUE } from './if-value';
import { shownValue } from '../mask';
import { closest } from '../../config/closest';
import type { MmlCommand, MmlContext, MmlResult } from '../command';
import { storeFault } from '../store-fault';
import { exportBase, exportDir, writeNewFile } from './export-file';
import { settingText } from '../../config/setting-text';
import { cannotBe } from '../../config/setting-refusal';

/** A setting's category: the part of its key before the dot (SIP, AUTH, REG, LOG...). */
const categoryOf = (key: string): string => key.split('.')[0]!;

/**
 * The original's DSP CFG categories (reference §5.3, in Chinese: its CATEGORY= matched them) that have a
 * category here. 用户管理 (users are no settings: DSP USER) and 会话统计 (live counts: DSP SRVSTAT) have none.
 */
const ORIGINAL_CATEGORIES: Readonly<Record<string, string>> = {
  'SIP 核心': 'SIP',
  SIP核心: 'SIP',
  核心: 'SIP',
  日志: 'LOG',
  MML: 'HTTP',
};

/**
 * The keys the original's DSP CFG showed that are no setting here (reference §5.3: read-only values
 * there), and where their value is now: a script asking for one is told, not only "no setting".
 */
const ORIGINAL_SHOWN: Readonly<Record<string, string>> = {
  'LOG.FILE': 'log files are logs/YYYY-MM-DD/ims-sip-server.log in the data folder (DSP SYSINFO)',
  'LOG.MAX_ENTRIES': 'DSP LOG LIMIT= chooses how many lines',
  'CDR.BASE_DIR': 'CDR files are CDR/YYYY-MM-DD/cdr_YYYY-MM-DD.csv in the data folder (DSP SYSINFO)',
  'CDR.FILE_FORMAT': 'CDR files are CDR/YYYY-MM-DD/cdr_YYYY-MM-DD.csv in the data folder (DSP SYSINFO)',
  'USER.DATA_FILE': 'users are kept in the database (DSP USER, IMP USER)',
  'MML.WEBSOCKET_PORT': "the console's WebSocket is /ws on HTTP.PORT",
  'MML.MAX_HISTORY': 'DSP HISTORY LIMIT= chooses how many commands',
  'SESSION.ACTIVE_CALLS': 'live counts are in DSP SRVSTAT',
  'SESSION.REGISTRATIONS': 'live counts are in DSP SRVSTAT',
  'SESSION.PENDING_REQUESTS': 'live counts are in DSP SRVSTAT',
  // Its DSP SYSCFG (reference §1.2 #2) and its docs; its config.json's keys (§5.2).
  MAX_FORWARDS:
    "a request keeps its Max-Forwards less one at each hop (RFC 3261 §16.6 step 3); IMS Lab's own requests carry 70",
  FORCE_LOCAL_ADDR: "Contacts are never rewritten (the original's was always off)",
  'SIP.FORCE_LOCAL_ADDR': "Contacts are never rewritten (the original's was always off)",
  'SIP.SERVER_URI': "the server's address is SIP.SERVER_IP at SIP.PORT (DSP SYSINFO)",
  'SIP.ALLOW': "the methods allowed are in the Allow header of IMS Lab's answer to OPTIONS",
  CDR_MERGE_MODE: "CDR rows are always merged, one per call, as the original's were",
};

/** An original's key that is no setting here, and where its value is now (DSP CFG and SET CFG say it). */
function originalElsewhere(key: string): string | undefined {
  return Object.hasOwn(ORIGINAL_SHOWN, key) ? `${key} is no setting here: ${ORIGINAL_SHOWN[key]}` : undefined;
}

/** SET CFG KEY= naming no setting: where an original's key is now, else the closest key. */
function unknownSetting(key: string): string {
  const elsewhere = originalElsewhere(key);
  if (elsewhere !== undefined) return elsewhere;
  const near = closest(
    key,
    SETTINGS.map((d) => d.key),
  );
  return `no setting ${key}${near !== undefined ? ` (did you mean ${near}?)` : ''}: DSP CFG lists them all`;
}

const originalCategory = (value: string): string | undefined =>
  Object.hasOwn(ORIGINAL_CATEGORIES, value.trim()) ? ORIGINAL_CATEGORIES[value.trim()] : undefined;

/** SET CFG of HTTP.* in the desktop app, which serves no HTTP (Settings.servesNoHttp). */
export const NOT_USED_HERE =
  'the desktop app serves no HTTP (no browser console, /metrics or mml scripting): the setting is for the headless server on this data folder';

/**
 * Whether a DIALER.* setting read at STR DIALSVC now differs from what the dialer runs with (its
 * pending settings), or, with the dialer stopped, from the value it had: set to the value in force,
 * nothing waits for the next start.
 */
function waitsForNextStart(
  ctx: MmlContext,
  key: string,
  value: SettingValue,
  previous: SettingValue,
): boolean {
  const dialer = ctx.dialer;
  if (dialer !== undefined && dialer.state === 'running')
    return dialer.pendingSettings().some((s) => s.startsWith(`${key}=`));
  return settingText(value) !== settingText(previous);
}

/**
 * The note that some of the keys a command changed wait for SAVE CFG, or nothing. README: setting a key
 * back to the value it had, or to the one in force, leaves nothing to save: SET CFG and SET TRACE both
 * say so only when one of theirs is among the unsaved.
 */
export function unsavedNote(settings: Settings, keys: readonly string[]): string | undefined {
  const unsaved = settings.unsaved();
  return keys.some((k) => unsaved.includes(k))
    ? 'not saved yet: SAVE CFG writes it to config.json'
    : undefined;
}

/**
 * Changes a setting at run time: through Settings.change (its listeners apply it), and the log level
 * straight on the log as well, so SET LOG and SET CFG KEY=LOG.LEVEL act at once even before the
 * composition root wires a listener.
 */
export function changeSetting(
  ctx: MmlContext,
  key: string,
  value: string,
  together?: ReadonlyMap<string, SettingValue>,
): MmlResult {
  const def = definition(key)!;
  const sourceBefore = ctx.settings.source(def.key);
  // A file given by its absolute path inside the data folder: kept relative to it (data-folder-path.ts).
  const given = value;
  if (DATA_FOLDER_FILE_SETTINGS.has(def.key)) value = relativeToDataFolder(ctx.dataDir, value);
  let change;
  try {
    change = ctx.settings.change(def.key, value, together);
  } catch (err) {
    // What applying it met in the data folder (a full disk, trace.db that cannot be opened): could not
    // be done (RETCODE 7, README), not a wrong parameter.
    const fault = err instanceof SettingError ? storeFault(err.cause, ctx.dataDir) : undefined;
    if (fault !== undefined)
      throw new MmlError(RETCODE.OPERATION_FAILED, `${def.key} cannot be applied: ${fault}`);
    if (err instanceof SettingError) {
      const reason = err.message.startsWith(`${def.key}: `)
        ? err.message.slice(def.key.length + 2)
        : err.message;
      throw new MmlError(RETCODE.PARAMETER_ERROR, `Parameter VALUE: ${def.key} ${reason}`);
    }
    throw err;
  }
  if (def.key === 'LOG.LEVEL') ctx.log.setLevel(change.value as LogLevel);
  const shown = (v: SettingValue): string => settingText(shownValue(def, v));
  const notes = [`${def.key} = ${shown(change.value)} (was ${shown(change.previous)})`];
  if (value !== given)
    notes.push(`kept relative to the data folder ${ctx.dataDir}, so that the folder can be moved whole`);
  // A key the environment sets at every start: no restart brings this value in (said below).
  const restart = change.restart && ctx.settings.envOverride(def.key) === undefined;
  if (!ctx.settings.usedHere(def.key)) notes.push(NOT_USED_HERE);
  else if (restart) notes.push('it takes effect after a restart');
  else if (def.appliesAt !== undefined) {
    if (waitsForNextStart(ctx, def.key, change.value, change.previous))
      notes.push(`it takes effect at the next ${def.appliesAt}`);
  } else if (def.appliesTo !== undefined) notes.push(`it applies to ${def.appliesTo}`);
  const unsaved = unsavedNote(ctx.settings, [def.key]);
  if (unsaved !== undefined) notes.push(unsaved);
  // Every time, not only while the value in force is the environment's: a second SET CFG of it, or the
  // SAVE CFG after, said nothing, and the next start ran with the environment's value.
  const envVar = ctx.settings.envOverride(def.key) ?? (sourceBefore === 'env' ? def.env : undefined);
  if (envVar !== undefined)
    notes.push(`the environment variable ${envVar} sets it at start-up and wins over config.json`);
  return {
    ...ok(notes.join('; '), [
      {
        title: 'Setting',
        columns: [
          { name: 'Key', type: 'string' },
          { name: 'Value', type: 'string' },
          { name: 'Previous', type: 'string' },
          { name: 'Restart needed', type: 'boolean' },
        ],
        rows: [[def.key, shown(change.value), shown(change.previous), restart]],
      },
    ]),
    restartNeeded: restart,
  };
}

/**
 * One row per setting, in English in every language: the answer's text writes the source, type, what
 * is allowed and the description in Chinese (zh-cells.ts); keys and values stay as they are.
 */
function settingsRows(settings: Settings, defs: readonly SettingDefinition[]): unknown[][] {
  const pending = new Set(settings.pendingRestart());
  return defs.map((d) => {
    const source = settings.source(d.key);
    return [
      d.key,
      settingText(shownValue(d, settings.get(d.key))),
      // A default is no secret (the same on every install, in the source and the original's seed): shown,
      // so that DIALER.PASSWORD's well-known 0000 is not hidden from the operator. A value stays masked.
      settingText(d.default),
      source,
      d.type,
      allowedText(d),
      d.restart,
      pending.has(d.key),
      d.help,
    ];
  });
}

function dspCfg(): MmlCommand {
  const categories = [...new Set(SETTINGS.map((d) => categoryOf(d.key)))];
  return {
    verb: 'DSP',
    object: 'CFG',
    // The original's 查询系统配置 (reference §1.2 #2) showed the SIP settings: here every setting.
    aliases: ['SYSCFG'],
    group: 'Configuration',
    help: 'Shows the settings: value, default, where the value comes from, what is allowed',
    words: { ALL: {} },
    params: [
      {
        name: 'CATEGORY',
        type: 'enum',
        values: categories,
        renamed: originalCategory,
        help: 'Only this category',
      },
      { name: 'KEY', type: 'string', help: 'Only keys containing this, e.g. EXPIRES or LOG.LEVEL' },
    ],
    handler: (args, ctx) => {
      const category = args.optStr('CATEGORY');
      const key = args.optStr('KEY')?.toUpperCase();
      const matching = (part: string | undefined): SettingDefinition[] =>
        SETTINGS.filter(
          (d) =>
            (category === undefined || categoryOf(d.key) === category) &&
            (part === undefined || d.key.includes(part)),
        );
      let defs = matching(key);
      // The original's name of a setting (SIP.SERVER_PORT) or its environment variable's (LOG_LEVEL).
      const renamed = defs.length === 0 && key !== undefined ? renamedSetting(key) : undefined;
      if (renamed !== undefined) defs = matching(renamed);
      const elsewhere = key !== undefined ? originalElsewhere(key.trim()) : undefined;
      if (defs.length === 0 && elsewhere !== undefined) throw new MmlError(RETCODE.NOT_FOUND, elsewhere);
      if (defs.length === 0) {
        throw new MmlError(RETCODE.NOT_FOUND, `No setting matches ${key ?? ''} (DSP CFG lists them all)`);
      }
      const notes: string[] = [];
      if (renamed !== undefined) notes.push(`${key} is called ${renamed} here`);
      const unsaved = ctx.settings.unsaved();
      if (unsaved.length > 0) notes.push(`Not saved: ${unsaved.join(', ')} (SAVE CFG writes config.json)`);
      const pending = ctx.settings.pendingRestart();
      if (pending.length > 0) notes.push(`Waiting for a restart: ${pending.join(', ')}`);
      const overridden = ctx.settings.overriddenByEnvironment();
      if (overridden.length > 0)
        notes.push(
          `The environment wins at every start over: ${overridden.map((o) => `${o.key} (${o.env})`).join(', ')}`,
        );
      return ok(notes.length === 0 ? undefined : notes.join('\n'), [
        {
          title: 'Settings',
          columns: [
            { name: 'Key', type: 'string' },
            { name: 'Value', type: 'string' },
            { name: 'Default', type: 'string' },
            { name: 'Source', type: 'string' },
            { name: 'Type', type: 'string' },
            { name: 'Allowed', type: 'string' },
            { name: 'Restart', type: 'boolean' },
            { name: 'Pending', type: 'boolean' },
            { name: 'Description', type: 'string' },
          ],
          rows: settingsRows(ctx.settings, defs),
        },
      ]);
    },
  };
}

function setCfg(): MmlCommand {
  return {
    verb: 'SET',
    object: 'CFG',
    group: 'Configuration',
    help: 'Changes a setting at run time (SAVE CFG keeps it across restarts)',
    params: [
      {
        name: 'KEY',
        type: 'enum',
        values: SETTINGS.map((d) => d.key),
        // Scripts written for the original name its settings its way: SET CFG KEY=LOG_LEVEL.
        renamed: renamedSetting,
        // Not all 71 keys: the closest one, or where an original's key is now.
        unknown: unknownSetting,
        // The original's default (reference §1.2 #25): SET CFG VALUE=DEBUG sets the log level.
        default: 'LOG.LEVEL',
        help: 'The setting, e.g. LOG.LEVEL (the default; DSP CFG lists them)',
      },
      {
        name: 'VALUE',
        type: 'string',
        required: true,
        help: 'The new value, checked against the setting',
        // Completion: the values of an enum or yes/no setting (KEY's default LOG.LEVEL's levels).
        suggest: (given) => {
          const d = definition(given.get('KEY') ?? 'LOG.LEVEL');
          return d?.type === 'enum' ? (d.options ?? []) : d?.type === 'boolean' ? ['YES', 'NO'] : [];
        },
      },
      {
        name: 'TLS_KEY',
        type: 'string',
        help: 'With KEY=SIP.TLS_CERT: its private key, set in the same command (both "": the data folder\'s certificate)',
      },
      ...DIALER_PORT_PARAMS,
      IF_VALUE,
      IF_TLS_KEY,
    ],
    handler: async (args, ctx) => {
      const key = args.str('KEY');
      const tlsKey = args.optStr('TLS_KEY');
      const ports = dialerPortsGiven(args, definition(key)?.key ?? key);
      // Checked again after what this waits for below (a realm's HA1 values, a port's probe).
      const def = definition(key);
      const ifValue = (): void => {
        if (def !== undefined) checkIfValue(ctx.settings, def, args.optStr('IF_VALUE'));
        // The pair dialog read the key file beside the certificate: a key changed since is refused too.
        checkIfValue(ctx.settings, definition('SIP.TLS_KEY')!, args.optStr('IF_TLS_KEY'));
      };
      ifValue();
      if (tlsKey !== undefined) {
        if (definition(key)?.key !== 'SIP.TLS_CERT')
          throw new MmlError(
            RETCODE.PARAMETER_ERROR,
            'Parameter TLS_KEY: goes with KEY=SIP.TLS_CERT only (the certificate and its private key set in one command)',
          );
        ifValue();
        return changeTlsPair(ctx, args.str('VALUE'), tlsKey, changeSetting);
      }
      // The certificate or its key alone, leaving the pair half set: the next start would stop on it.
      const half = halfPairProblem(ctx.settings, definition(key)?.key ?? key, args.str('VALUE'));
      if (half !== undefined) throw new MmlError(RETCODE.PARAMETER_ERROR, `Parameter VALUE: ${half}`);
      // A new realm re-derives every user's HA1 values: derived ahead across turns of the event loop, as
      // SIP goes on; the change then only writes them (users.ts prepareRealm).
      if (definition(key)?.key === 'AUTH.REALM') await prepareRealm(ctx, args.str('VALUE'));
      // A port another program holds stopped the next start: checked now, as the start checks it.
      const taken = await portTakenElsewhere(ctx.settings, key, args.str('VALUE'));
      if (taken !== undefined)
        throw new MmlError(
          RETCODE.PARAMETER_ERROR,
          `Parameter VALUE: ${taken.key} ${cannotBe(args.str('VALUE').trim(), taken.reason)}`,
        );
      ifValue();
      if (ports !== undefined) return changeDialerPorts(ctx, ports, changeSetting);
      return changeSetting(ctx, key, args.str('VALUE'));
    },
  };
}

/**
 * Derives the HA1 values of a realm for SET CFG. What fails here (a realm the store refuses, a password
 * the key does not open) fails again in the change, which answers it as it always did and changes nothing.
 */
async function prepareRealm(ctx: MmlContext, realm: string): Promise<void> {
  try {
    await ctx.users.prepareRealm(realm);
  } catch {
    // answered by changeSetting
  }
}

const expCfg: MmlCommand = {
  verb: 'EXP',
  object: 'CFG',
  group: 'Configuration',
  help: 'Exports every setting to <data dir>/exports/config_export_<time>.json',
  params: [],
  handler: (_args, ctx, call) => {
    const now = ctx.now();
    const categories: Record<string, unknown[]> = {};
    for (const d of SETTINGS) {
      // The original's entry fields (key, value, description, type, editable, note: reference §1.2 #28),
      // then IMS Lab's; a secret setting's value is masked as everywhere else.
      (categories[categoryOf(d.key)] ??= []).push({
        key: d.key,
        value: shownValue(d, ctx.settings.get(d.key)),
        description: d.help,
        type: d.type,
        editable: true,
        note: d.restart ? 'takes effect after a restart' : '',
        default: d.default, // no secret: the same on every install (as DSP CFG shows it)
        source: ctx.settings.source(d.key),
        restart: d.restart,
      });
    }
    const content = {
      export_time: localIsoTime(new Date(now)),
      export_by: call.who,
      config_version: '1.0',
      ims_version: IMS_VERSION,
      categories,
    };
    const file = writeNewFile(
      exportDir(ctx.dataDir),
      exportBase('config', now),
      `${JSON.stringify(content, null, 2)}\n`,
    );
    return ok(`Configuration exported to ${file}`, [
      {
        title: 'Export',
        columns: [
          { name: 'File', type: 'string' },
          { name: 'Settings', type: 'integer' },
          { name: 'Categories', type: 'integer' },
        ],
        rows: [[file, SETTINGS.length, Object.keys(categories).length]],
      },
    ]);
  },
};

const saveCfg: MmlCommand = {
  verb: 'SAVE',
  object: 'CFG',
  group: 'Configuration',
  help: 'Writes the settings changed at run time to <data dir>/config.json',
  params: [],
  handler: (_args, ctx) => {
    let saved;
    try {
      saved = ctx.settings.save(ctx.dataDir);
    } catch (err) {
      throw new MmlError(RETCODE.OPERATION_FAILED, `Configuration not saved: ${(err as Error).message}`);
    }
    if (saved.keys.length === 0) return ok(`Nothing to save: no setting changed since the last save`);
    // Saved, but not what the next start runs with: the environment wins over config.json.
    const overridden = saved.keys.flatMap((k) => {
      const variable = ctx.settings.envOverride(k);
      return variable === undefined ? [] : [`${k} (the environment variable ${variable} wins over it)`];
    });
    const note = overridden.length === 0 ? '' : `; the next start does not use ${overridden.join(', ')}`;
    return ok(`Saved ${saved.keys.join(', ')} to ${saved.file}${note}`);
  },
};

export function configCommands(): MmlCommand[] {
  return [dspCfg(), setCfg(), expCfg, saveCfg];
}
