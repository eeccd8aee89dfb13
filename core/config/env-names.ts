// Environment variables with IMS Lab's prefixes that IMS Lab does not read: a mistyped name (SIP_PROT=5070,
// IMS_ADMIN_PASSWRD=...) was ignored without a word, the server starting on the default. Each is named
// at start in a WARNING (the start goes on), with the nearest name IMS Lab reads, or the setting a
// DIALER_USERNAME-like name means (set in config.json or with SET CFG: it has no variable).
import { closest } from './closest';
import { definition, SETTINGS } from './settings';

/**
 * The prefixes of the variables README "Running headless" lists (LOG_LEVEL's and LOCAL_NETWORK_CIDR's
 * too: LOG_LEVL=DEBUG was ignored without a word), and DIALER_ (the DIALER.* settings). Matched in any
 * case: a variable's name is case-sensitive, and sip_port=5070 was ignored as silently.
 */
const PREFIXES = ['IMS_', 'SIP_', 'HTTP_', 'DIALER_', 'SERVER_IP', 'LOG_', 'LOCAL_'] as const;

/**
 * Read by IMS Lab beside the settings' variables: the data folder and admin password (server.ts), the mml
 * client's, the SQLite binding's path (store/sqlite-binding.ts), and the tests' and benchmark scripts'.
 */
const OTHERS = [
  'IMS_DATA_DIR',
  'IMS_ADMIN_PASSWORD',
  'IMS_URL',
  'IMS_TOKEN',
  'IMS_LANG',
  'IMS_TIMEOUT',
  'IMS_SQLITE_BINDING',
  'IMS_CONFIG_JSON',
  'IMS_CORPUS_DIR',
];

/** Set by other tools with the same prefixes: curl, npm and Node's proxy variable. */
const FOREIGN = new Set(['HTTP_PROXY']);

/**
 * Set for a container by its platform, named after a service or linked container called sip, http or
 * ims: Kubernetes' service variables (SIP_SERVICE_HOST, SIP_SERVICE_PORT_..., SIP_PORT=tcp://...,
 * SIP_PORT_5060_UDP_ADDR) and Docker's legacy links (the same, plus ..._NAME=/a/b and ..._ENV_...).
 */
function platformVariable(name: string, value: string): boolean {
  return (
    /_SERVICE_(?:HOST|PORT)(?:_|$)/.test(name) ||
    /_PORT_\d+_(?:TCP|UDP|SCTP)(?:_|$)/.test(name) ||
    (/_PORT$/.test(name) && /^(?:tcp|udp|sctp):\/\//.test(value)) ||
    /_ENV_/.test(name) ||
    (/_NAME$/.test(name) && value.startsWith('/'))
  );
}

/** The names IMS Lab reads, settings' first (a suggestion prefers them). */
export function knownVariables(): string[] {
  return [...SETTINGS.flatMap((d) => (d.env === undefined ? [] : [d.env])), ...OTHERS];
}

/**
 * One WARNING line per variable IMS Lab reads that is set but empty (SIP_PORT= in an env file, or a
 * compose file's SIP_PORT=${SIP_PORT} with nothing to put there): an empty variable counts as unset, so
 * config.json's value or the default applies, which was not said. IMS_DATA_DIR= (./data, README) and
 * IMS_ADMIN_PASSWORD= (a generated password, said at start) mean that already.
 */
export function emptyVariables(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const d of SETTINGS) {
    if (d.env === undefined || env[d.env] !== '') continue;
    const shown = Array.isArray(d.default) ? d.default.join(',') : String(d.default);
    out.push(
      `environment variable ${d.env} is empty: taken as unset, so ${d.key} is config.json's or the default (${shown === '' ? 'empty' : shown})`,
    );
  }
  return out;
}

/** One WARNING line per variable of `env` with IMS Lab's prefixes that IMS Lab does not read. */
export function unknownVariables(env: NodeJS.ProcessEnv): string[] {
  const known = knownVariables();
  const knownSet = new Set(known);
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const upper = name.toUpperCase();
    if (!PREFIXES.some((p) => upper.startsWith(p)) || knownSet.has(name) || FOREIGN.has(upper)) continue;
    if (platformVariable(name, value ?? '')) continue;
    // sip_port: the name in another case (it is not read: names are case-sensitive).
    if (knownSet.has(upper)) {
      out.push(
        `environment variable ${name} is not one IMS Lab reads, ignored (did you mean ${upper}? the names are upper-case); README "Running headless" lists them`,
      );
      continue;
    }
    // DIALER_USERNAME: a setting with no variable of its own.
    const setting = definition(name.replace('_', '.'));
    const near = closest(name, known);
    const hint =
      setting !== undefined && setting.env === undefined
        ? ` (${setting.key} has no environment variable: set it in config.json or with SET CFG)`
        : near !== undefined
          ? ` (did you mean ${near}?)`
          : '';
    out.push(
      `environment variable ${name} is not one IMS Lab reads, ignored${hint}; README "Running headless" lists them`,
    );
  }
  return out;
}
