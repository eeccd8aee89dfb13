// Registration commands (reference §1.2 注册管理): DSP REG, DSP REG STAT, RMV REG, CLR REG, over the live
// location service. A registration is found the ways its users look for it: USERNAME is the user part of
// the AOR; URI is the canonical AOR (sip:1001@ims.lab), the AOR as the phone registered it
// (sip:1001@127.0.0.1:26060, shown as "Registered as") or a contact URI; and, as in the original, a URI
// with neither @ nor sip: is a substring of the AOR (URI=1001 also finds sip:91001@...); a binding whose
// AOR as registered an older IMS Lab did not keep shows "-" and is found by its user. The forms SIP
// routing takes for a user find it too (routedTo: tel:, escaped, user=phone, a public GRUU, the server's
// own address with or without its port, localhost, a served domain). The expiry is
// shown as seconds left and as a time, removal needs CONFIRM=YES, and nothing found is RETCODE 5
// (NOT_FOUND), as for DSP USER and DSP CALL. Bindings registered through an edge proxy with Path
// (RFC 3327) are listed again in a second table with their path, and those of phones that name their
// device (+sip.instance, RFC 5626) in another with it and their public GRUU (RFC 5627), so the first
// keeps the original's columns (the q of each contact, RFC 3261 §10.2.1.2, after them).
import { hostAddress, parseUri, unescape, uriParam, userNumber, type SipUri } from '../../sip/message/index';
import { USER_NAME_MAX_LENGTH } from '../../config/setting-formats';
import type { Binding } from '../../sip/registrar/binding';
import { instanceOf, publicGruu, regIdOf } from '../../sip/registrar/instance';
import { MmlError, ok, RETCODE } from '../command';
import type { MmlArgs, MmlCommand, MmlContext, MmlParam, MmlTable } from '../command';
import { limitParam, nextPageStatement, OFFSET_PARAM, rowsToShow, userPartOf } from './common';
import { nextTurn } from '../../observe/next-turn';
import { addressPort } from '../../address-port';

const USERNAME: MmlParam = {
  name: 'USERNAME',
  type: 'string',
  min: 1,
  // A registration's AOR is a user of the store (registrar.ts refuses others 404): its user name's limit.
  max: USER_NAME_MAX_LENGTH,
  help: 'The user whose registrations these are (user part of the AOR), e.g. 1001',
};
const URI: MmlParam = {
  name: 'URI',
  type: 'string',
  min: 1,
  max: 1024,
  help:
    'The AOR (canonical, e.g. sip:1001@ims.lab, or as the phone registered it), a contact URI, or ' +
    'without @ and sip: a part of the AOR (URI=1001); tel:+4930123, sip:%2B4930123@ims.lab and a ' +
    'public GRUU name it as SIP routing does; so does the server address, with or without its port',
};

const withoutParams = (uri: string): string => {
  const semi = uri.indexOf(';');
  return semi < 0 ? uri : uri.slice(0, semi);
};

/** A URI= value with neither @ nor sip:/sips:/tel:: a part of the AOR, as the original matched it. */
function isAorPart(value: string): boolean {
  const wanted = value.trim().toLowerCase();
  return !wanted.includes('@') && !/^(sips?|tel):/.test(wanted);
}

/** The canonical AOR a SIP URI names as the registrar and routing read it (MmlContext.aorNamedBy). */
type AorNamedBy = MmlContext['aorNamedBy'];

/** Does a URI= value name this binding? */
export function uriMatches(b: Binding, value: string, aorNamedBy?: AorNamedBy): boolean {
  const wanted = value.trim().toLowerCase();
  if (/^tel:/.test(wanted)) return routedTo(b, value.trim());
  if (isAorPart(wanted)) {
    // The original's substring rule (reference §1.2 #5b).
    return b.aor.toLowerCase().includes(wanted) || (b.registeredAor ?? '').toLowerCase().includes(wanted);
  }
  const full = /^sips?:/.test(wanted) ? wanted : `sip:${wanted}`;
  const candidates = [b.aor, b.registeredAor ?? '', b.contact, withoutParams(b.contact)];
  if (candidates.some((c) => c !== '' && c.toLowerCase() === full)) return true;
  if (routedTo(b, /^sips?:/i.test(value.trim()) ? value.trim() : `sip:${value.trim()}`, aorNamedBy))
    return true;
  // The AOR as registered not known (a binding of an older IMS Lab): any AOR of the binding's user may
  // have been it, the canonical one stands for them.
  if (b.registeredAorUnknown !== true) return false;
  const user = userOfUri(full);
  return user !== undefined && user === userPartOf(b.aor)?.toLowerCase();
}

/**
 * Does this URI name the binding's AOR as SIP routing reads it (proxy/target-set.ts), where the plain
 * comparison sees another text? A tel: URI names the user of its number (RFC 3966, visual separators
 * dropped: tel:+49-30-123 is +4930123); a SIP URI at the host and port of the AOR (canonical or as
 * registered) names its user unescaped (RFC 3261 §19.1.4: sip:%2B4930123@ims.lab is +4930123) and, with
 * user=phone, its number without parameters; with `gr=<instance>` (a public GRUU, RFC 5627 §3.1, as DSP
 * REG shows it) only the bindings of that device. A contact is still named by itself only. The AOR is
 * also named at any host and port the registrar and routing take for it (aorNamedBy: the server's own
 * address with or without its port, localhost, a served domain; RFC 3261 §10.3 step 5), so a phone that
 * registered sip:1002@127.0.0.1 is found by sip:1002@127.0.0.1:5060 and the other way round.
 */
function routedTo(b: Binding, value: string, aorNamedBy?: AorNamedBy): boolean {
  const uri = parseUri(value);
  const aor = parseUri(b.aor);
  if (uri === null || aor?.kind !== 'sip' || aor.user === undefined) return false;
  const user = unescape(aor.user).toLowerCase();
  if (uri.kind === 'tel') return userNumber(uri).toLowerCase() === user;
  if (uri.kind !== 'sip' || uri.user === undefined || userNumber(uri, unescape).toLowerCase() !== user)
    return false;
  const registered = b.registeredAor === undefined ? null : parseUri(b.registeredAor);
  const places = [aor, registered].flatMap((a) => (a?.kind === 'sip' ? [placeOf(a)] : []));
  if (!places.includes(placeOf(uri)) && aorNamedBy?.(uri)?.toLowerCase() !== b.aor.toLowerCase())
    return false;
  const gr = uriParam(uri, 'gr');
  return typeof gr !== 'string' || instanceOf(b.contactParams) === gr.toLowerCase();
}

/** A SIP URI's host and port, as the plain comparison tells AORs apart. */
const placeOf = (u: SipUri): string => `${hostAddress(u.host)}:${u.port ?? ''}`;

/** The user part of a (lower-cased) sip: or sips: URI; undefined when it has none. */
function userOfUri(uri: string): string | undefined {
  const at = uri.indexOf('@');
  return at < 0 ? undefined : uri.slice(uri.indexOf(':') + 1, at);
}

/** The bindings that USERNAME and/or URI name, by AOR then contact. */
function matchingBindings(ctx: MmlContext, args: MmlArgs): Binding[] {
  const username = args.optStr('USERNAME');
  const uri = args.optStr('URI');
  // A user's AORs from the location service's index, not a scan of every AOR.
  const aors = (
    username !== undefined
      ? ctx.location.aorsOfUser(username)
      : [...ctx.location.entries()].map(([aor]) => aor)
  ).sort();
  const out: Binding[] = [];
  for (const aor of aors) {
    const bindings = [...ctx.location.lookup(aor)].sort((a, b) => a.contact.localeCompare(b.contact));
    for (const b of bindings) if (uri === undefined || uriMatches(b, uri, ctx.aorNamedBy)) out.push(b);
  }
  return out;
}

function what(args: MmlArgs): string {
  const username = args.optStr('USERNAME');
  return username !== undefined ? `user ${username}` : `URI ${args.optStr('URI') ?? ''}`;
}

const dspReg: MmlCommand = {
  verb: 'DSP',
  object: 'REG',
  group: 'Registration',
  help: 'Lists the registrations (bindings), all or of one user or AOR (ALL: every one, unless LIMIT is given)',
  // SPECIFIC: the word the original's command tree inserted for 查询指定注册 (it ignored it).
  words: { ALL: {}, SPECIFIC: {} },
  params: [USERNAME, URI, limitParam(100, 10_000), OFFSET_PARAM],
  handler: (args, ctx) => {
    const now = ctx.now();
    const bindings = matchingBindings(ctx, args);
    const offset = args.int('OFFSET');
    const page = bindings.slice(offset, offset + rowsToShow(args));
    const filtered = args.has('USERNAME') || args.has('URI');
    if (filtered && bindings.length === 0) {
      throw new MmlError(RETCODE.NOT_FOUND, `No registration of ${what(args)}`);
    }
    const message =
      page.length < bindings.length
        ? `Registrations ${offset + 1}-${offset + page.length} of ${bindings.length}`
        : undefined;
    const tables: MmlTable[] = [
      {
        title: 'Registrations',
        columns: [
          { name: 'AOR', type: 'string' },
          { name: 'Registered as', type: 'string' },
          { name: 'Contact', type: 'string' },
          { name: 'Expires in (s)', type: 'integer' },
          { name: 'Expires at', type: 'time' },
          { name: 'Source', type: 'string' },
          { name: 'Transport', type: 'string' },
          { name: 'User agent', type: 'string' },
          { name: 'Registered', type: 'time' },
          // §10.2.1.2: the Contact's q (as registered, up to three decimals), by which SEQUENTIAL forking
          // orders the phones; "-" for none (no preference, ranked as 1).
          { name: 'q', type: 'string' },
        ],
        rows: page.map((b) => [
          b.aor,
          // Unknown for a binding an older IMS Lab stored: "-", not the canonical AOR it never sent.
          b.registeredAorUnknown === true ? '-' : (b.registeredAor ?? b.aor),
          b.contact,
          Math.max(0, Math.ceil((b.expiresAt - now) / 1000)),
          b.expiresAt,
          addressPort(b.sourceAddress, b.sourcePort),
          b.transport,
          b.userAgent,
          b.createdAt,
          b.q === undefined ? null : String(b.q),
        ]),
        total: bindings.length,
      },
    ];
    const routed = page.filter((b) => b.path !== undefined);
    if (routed.length > 0) tables.push(pathTable(routed));
    const devices = page.filter((b) => instanceOf(b.contactParams) !== undefined);
    if (devices.length > 0) tables.push(deviceTable(devices));
    const following = offset + page.length;
    return page.length > 0 && following < bindings.length
      ? {
          ...ok(message, tables),
          next: nextPageStatement('DSP REG', args, ['USERNAME', 'URI'], {
            LIMIT: args.int('LIMIT'),
            OFFSET: following,
          }),
        }
      : ok(message, tables);
  },
};

/**
 * RFC 5626 §4.1, RFC 5627: the device of each binding whose phone named it (+sip.instance), its flow
 * (reg-id) when it has several, and its public GRUU, which reaches that device only.
 */
function deviceTable(bindings: readonly Binding[]): MmlTable {
  return {
    title: 'Registration devices',
    columns: [
      { name: 'AOR', type: 'string' },
      { name: 'Contact', type: 'string' },
      { name: 'Instance', type: 'string' },
      { name: 'Flow (reg-id)', type: 'string' },
      { name: 'Public GRUU', type: 'string' },
    ],
    rows: bindings.map((b) => {
      const instance = instanceOf(b.contactParams)!;
      return [b.aor, b.contact, instance, regIdOf(b.contactParams), publicGruu(b.aor, instance)];
    }),
  };
}

/** RFC 3327 §5.3: the path vector of each binding that has one, the way requests for it go. */
function pathTable(bindings: readonly Binding[]): MmlTable {
  return {
    title: 'Registration paths',
    columns: [
      { name: 'AOR', type: 'string' },
      { name: 'Contact', type: 'string' },
      { name: 'Path', type: 'string' },
    ],
    rows: bindings.map((b) => [b.aor, b.contact, (b.path ?? []).join(', ')]),
  };
}

const dspRegStat: MmlCommand = {
  verb: 'DSP',
  object: 'REG STAT',
  group: 'Registration',
  help: 'Counts registered AORs and bindings',
  params: [],
  handler: (_args, ctx) => {
    const aors = ctx.location.aorCount;
    const bindings = ctx.location.bindingCount;
    return ok(undefined, [
      {
        title: 'Registration statistics',
        columns: [
          { name: 'AORs', type: 'integer' },
          { name: 'Bindings', type: 'integer' },
          { name: 'Bindings per AOR', type: 'number' },
        ],
        rows: [[aors, bindings, aors === 0 ? 0 : bindings / aors]],
      },
    ]);
  },
};

const rmvReg: MmlCommand = {
  verb: 'RMV',
  object: 'REG',
  group: 'Registration',
  help: 'Removes the registrations of a user or an AOR (the user agent is not told and may register again)',
  destructive: true,
  words: { SPECIFIC: {} }, // as the original's command tree wrote 强制注销
  params: [USERNAME, URI],
  atLeastOne: ['USERNAME', 'URI'],
  handler: (args, ctx) => {
    if (args.has('USERNAME') && args.has('URI')) {
      throw new MmlError(RETCODE.PARAMETER_ERROR, 'Give USERNAME or URI, not both');
    }
    const bindings = matchingBindings(ctx, args);
    if (bindings.length === 0) throw new MmlError(RETCODE.NOT_FOUND, `No registration of ${what(args)}`);
    const aors = [...new Set(bindings.map((b) => b.aor))];
    const uri = args.optStr('URI');
    // The original's part match (URI=1001 is also sip:91001@...) lists; removing by it would take other
    // users' phones too (reference defect 34): a part naming more than one AOR is refused, as RMV CALL
    // refuses a CALLID naming several calls.
    if (uri !== undefined && isAorPart(uri) && aors.length > 1) {
      const shown = aors.slice(0, 5).join(', ') + (aors.length > 5 ? `, ... (${aors.length - 5} more)` : '');
      const own = aors.find((a) => userPartOf(a)?.toLowerCase() === uri.trim().toLowerCase());
      const hint = own === undefined ? '' : `, e.g. URI=${own} or USERNAME=${userPartOf(own)}`;
      throw new MmlError(
        RETCODE.PARAMETER_ERROR,
        `Parameter URI: ${uri} is a part of ${aors.length} AORs (${shown}); give the whole AOR${hint}`,
      );
    }
    let removed = 0;
    for (const b of bindings) if (ctx.location.remove(b.aor, b.contact, 'operator') !== undefined) removed++;
    return ok(`Removed ${removed} registration(s) of ${aors.join(', ')}`);
  },
};

/** AORs CLR REG removes in one turn of the event loop. */
const CLEAR_AORS_PER_TURN = 250;

const clrReg: MmlCommand = {
  verb: 'CLR',
  object: 'REG',
  group: 'Registration',
  help: 'Removes every registration',
  destructive: true,
  words: { ALL: {} },
  params: [],
  handler: async (_args, ctx) => {
    // A few hundred AORs a turn: each removal is an event (its UNREGISTER row, a reg event NOTIFY, the
    // console's), and 36,000 bindings removed in one turn held SIP 1.3 s. The AORs are those registered
    // when the command came; one that registers meanwhile stays.
    const aors = [...ctx.location.entries()].map(([aor]) => aor);
    let removed = 0;
    for (let i = 0; i < aors.length; i++) {
      removed += ctx.location.removeAor(aors[i]!, 'operator');
      if ((i + 1) % CLEAR_AORS_PER_TURN === 0) await nextTurn();
    }
    return ok(`Removed all ${removed} registration(s) of ${aors.length} AOR(s)`);
  },
};

export function registrationCommands(): MmlCommand[] {
  return [dspReg, dspRegStat, rmvReg, clrReg];
}
