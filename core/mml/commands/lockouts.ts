// Authentication lockouts (core/sip/auth/lockout.ts): DSP LOCKOUT lists the addresses, and the user
// names from an address, refused after too many failed authentications; RMV LOCKOUT lifts them before
// their time (a tester who mistyped a password five times need not wait two minutes).
import { CONFIRM_PARAM, MmlError, ok, RETCODE } from '../command';
import type { MmlCommand, MmlContext, MmlLockouts, MmlParam } from '../command';
import { sourceKey } from '../../sip/auth/failure-key';

const SOURCE: MmlParam = {
  name: 'SOURCE',
  type: 'ip', // as DSP LOCKOUT lists it; anything else can match no lock (a typo is a parameter error)
  prefix64: true,
  help: 'The address locked out, e.g. 192.168.1.20; an IPv6 one: its /64 as DSP LOCKOUT lists it (2001:db8::/64), or any address in it',
};
const USERNAME: MmlParam = { name: 'USERNAME', type: 'string', help: 'The user name locked out, e.g. 1001' };

function lockouts(ctx: MmlContext): MmlLockouts {
  if (ctx.lockouts === undefined) throw new MmlError(RETCODE.OPERATION_FAILED, 'No SIP stack in this build');
  return ctx.lockouts;
}

const dspLockout: MmlCommand = {
  verb: 'DSP',
  object: 'LOCKOUT',
  group: 'Registration',
  help: 'Lists the addresses (and user names from them) locked out after failed authentications',
  params: [],
  handler: (_args, ctx) => {
    const locks = lockouts(ctx).locks();
    return ok(locks.length === 0 ? 'No lockout in force' : undefined, [
      {
        title: 'Lockouts',
        columns: [
          { name: 'Source', type: 'string' },
          { name: 'Username', type: 'string' },
          { name: 'Seconds left', type: 'integer' },
        ],
        rows: locks.map((l) => [l.source, l.user ?? '(every user name)', l.secondsLeft]),
      },
    ]);
  },
};

const rmvLockout: MmlCommand = {
  verb: 'RMV',
  object: 'LOCKOUT',
  group: 'Registration',
  help: 'Lifts the lockout of an address, of a user name from every address, or of a user name from an address',
  // Lifting a lockout removes nothing, so no CONFIRM is needed; CONFIRM=YES, which every other RMV
  // command wants, is taken all the same rather than refused as an unknown parameter.
  params: [
    SOURCE,
    USERNAME,
    {
      ...CONFIRM_PARAM,
      values: ['YES'],
      required: false,
      help: 'Not needed here (taken as on the other RMV commands)',
    },
  ],
  atLeastOne: ['SOURCE', 'USERNAME'],
  handler: (args, ctx) => {
    const which = { source: args.optStr('SOURCE'), user: args.optStr('USERNAME') };
    const lifted = lockouts(ctx).lift(which);
    // Named as DSP LOCKOUT lists it: an IPv6 address's /64, the lock it lifts.
    const source = which.source === undefined ? undefined : (sourceKey(which.source) ?? which.source);
    const what =
      which.user === undefined
        ? `address ${source}`
        : `user ${which.user}${source === undefined ? '' : ` from ${source}`}`;
    if (lifted === 0)
      throw new MmlError(RETCODE.NOT_FOUND, `No lockout or failed attempt recorded for ${what}`);
    return ok(`Lifted the lockout of ${what}`);
  },
};

export function lockoutCommands(): MmlCommand[] {
  return [dspLockout, rmvLockout];
}
