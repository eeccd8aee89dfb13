// Registration commands (reference §1.2 注册管理): DSP REG, DSP REG STAT, RMV REG, CLR REG, over the live
// location service. Unlike the original, matching is exact (USERNAME is the user part of the AOR, URI the
// whole AOR), the expiry is shown as seconds left and as a time, and removal needs CONFIRM=YES.
import type { Binding } from '../../sip/registrar/binding';
import { MmlError, ok, RETCODE } from '../command';
import type { MmlArgs, MmlCommand, MmlContext, MmlParam } from '../command';
import { limitParam, OFFSET_PARAM, userPartOf } from './common';

const USERNAME: MmlParam = {
  name: 'USERNAME',
  type: 'string',
  help: 'The user whose registrations these are (user part of the AOR), e.g. 1001',
};
const URI: MmlParam = {
  name: 'URI',
  type: 'string',
  help: 'The address-of-record, e.g. sip:1001@ims.lab (sip: may be left out)',
};

/** The AORs that USERNAME or URI names (exact match), in order. */
function matchingAors(ctx: MmlContext, args: MmlArgs): string[] {
  const username = args.optStr('USERNAME');
  let uri = args.optStr('URI');
  if (uri !== undefined && !/^sips?:/i.test(uri)) uri = `sip:${uri}`;
  const out: string[] = [];
  for (const [aor] of ctx.location.entries()) {
    if (username !== undefined && userPartOf(aor) !== username) continue;
    if (uri !== undefined && aor.toLowerCase() !== uri.toLowerCase()) continue;
    out.push(aor);
  }
  return out.sort();
}

function what(args: MmlArgs): string {
  const username = args.optStr('USERNAME');
  return username !== undefined ? `user ${username}` : `URI ${args.optStr('URI') ?? ''}`;
}

const dspReg: MmlCommand = {
  verb: 'DSP',
  object: 'REG',
  group: 'Registration',
  help: 'Lists the registrations (bindings), all or of one user or AOR',
  words: { ALL: {} },
  params: [USERNAME, URI, limitParam(100, 10_000), OFFSET_PARAM],
  handler: (args, ctx) => {
    const now = ctx.now();
    const bindings: Binding[] = [];
    for (const aor of matchingAors(ctx, args)) {
      bindings.push(...[...ctx.location.lookup(aor)].sort((a, b) => a.contact.localeCompare(b.contact)));
    }
    const offset = args.int('OFFSET');
    const page = bindings.slice(offset, offset + args.int('LIMIT'));
    const filtered = args.has('USERNAME') || args.has('URI');
    const message =
      filtered && bindings.length === 0
        ? `No registration of ${what(args)}`
        : page.length < bindings.length
          ? `Registrations ${offset + 1}-${offset + page.length} of ${bindings.length}`
          : undefined;
    return ok(message, [
      {
        title: 'Registrations',
        columns: [
          { name: 'AOR', type: 'string' },
          { name: 'Contact', type: 'string' },
          { name: 'Expires in (s)', type: 'integer' },
          { name: 'Expires at', type: 'time' },
          { name: 'Source', type: 'string' },
          { name: 'Transport', type: 'string' },
          { name: 'User agent', type: 'string' },
          { name: 'Registered', type: 'time' },
        ],
        rows: page.map((b) => [
          b.aor,
          b.contact,
          Math.max(0, Math.ceil((b.expiresAt - now) / 1000)),
          b.expiresAt,
          b.sourceAddress.includes(':')
            ? `[${b.sourceAddress}]:${b.sourcePort}`
            : `${b.sourceAddress}:${b.sourcePort}`,
          b.transport,
          b.userAgent,
          b.createdAt,
        ]),
        total: bindings.length,
      },
    ]);
  },
};

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
  params: [USERNAME, URI],
  atLeastOne: ['USERNAME', 'URI'],
  handler: (args, ctx) => {
    if (args.has('USERNAME') && args.has('URI')) {
      throw new MmlError(RETCODE.PARAMETER_ERROR, 'Give USERNAME or URI, not both');
    }
    const aors = matchingAors(ctx, args);
    if (aors.length === 0) throw new MmlError(RETCODE.NOT_FOUND, `No registration of ${what(args)}`);
    let removed = 0;
    for (const aor of aors) {
      // Counted before: LocationService.removeAor returns 0 once it has emptied the AOR.
      removed += ctx.location.lookup(aor).length;
      ctx.location.removeAor(aor, 'operator');
    }
    return ok(`Removed ${removed} registration(s) of ${aors.join(', ')}`);
  },
};

const clrReg: MmlCommand = {
  verb: 'CLR',
  object: 'REG',
  group: 'Registration',
  help: 'Removes every registration',
  destructive: true,
  words: { ALL: {} },
  params: [],
  handler: (_args, ctx) => {
    const aors = ctx.location.aorCount;
    const removed = ctx.location.bindingCount; // LocationService.clear's own count is 0 (see removeAor)
    ctx.location.clear('operator');
    return ok(`Removed all ${removed} registration(s) of ${aors} AOR(s)`);
  },
};

export function registrationCommands(): MmlCommand[] {
  return [dspReg, dspRegStat, rmvReg, clrReg];
}
