import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../../core/config/closest';
import { commandName, MmlError, ok, RETCODE } from '../../../core/mml/command';
import type { MmlArgs, MmlCommand } from '../../../core/mml/command';
import { createRegistry } from '../../../core/mml/commands/index';
import { parseCommand } from '../../../core/mml/grammar';
import { MmlRegistry } from '../../../core/mml/registry';

const NOW = new Date(2025, 10, 1, 9, 30, 0).getTime();

/** Echoes its arguments: lets tests see what validation produced. */
const echo = (args: MmlArgs) =>
  ok(JSON.stringify(Object.fromEntries(args.names().map((n) => [n, args.optStr(n)]))));

const TEST_COMMANDS: MmlCommand[] = [
  {
    verb: 'DSP',
    object: 'THING',
    aliases: ['THG'],
    group: 'Test',
    help: 'Shows things',
    words: { ALL: {}, TODAY: { DATE: 'TODAY' } },
    params: [
      { name: 'NAME', type: 'string', max: 5, help: 'A name', aliases: ['LABEL'] },
      { name: 'LIMIT', type: 'integer', min: 1, max: 100, default: '10', help: 'How many' },
      { name: 'KIND', type: 'enum', values: ['RED', 'GREEN'], help: 'A kind' },
      { name: 'DATE', type: 'date', help: 'A day' },
      { name: 'ADDR', type: 'ip', help: 'An address' },
      { name: 'ON', type: 'boolean', help: 'A switch' },
    ],
    handler: echo,
  },
  {
    verb: 'DSP',
    object: 'THING STAT',
    group: 'Test',
    help: 'Counts things',
    params: [],
    handler: () => ok('stat'),
  },
  {
    verb: 'ADD',
    object: 'THING',
    group: 'Test',
    help: 'Adds a thing',
    params: [
      { name: 'NAME', type: 'string', required: true, help: 'The name' },
      { name: 'SECRET', type: 'string', secret: true, min: 3, help: 'A secret' },
    ],
    handler: echo,
  },
  {
    verb: 'MOD',
    object: 'THING',
    group: 'Test',
    help: 'Changes a thing',
    params: [
      { name: 'NAME', type: 'string', required: true, help: 'The name' },
      { name: 'A', type: 'string', help: 'a' },
      { name: 'B', type: 'string', help: 'b' },
    ],
    atLeastOne: ['A', 'B'],
    handler: echo,
  },
  {
    verb: 'RMV',
    object: 'THING',
    group: 'Test',
    help: 'Removes a thing',
    destructive: true,
    params: [{ name: 'NAME', type: 'string', required: true, help: 'The name' }],
    handler: echo,
  },
];

function registry(): MmlRegistry {
  return new MmlRegistry().registerAll(TEST_COMMANDS);
}

/** Prepares a command and runs its (echo) handler; returns the handler's message. */
async function args(text: string): Promise<Record<string, string>> {
  const { command, args } = registry().prepare(parseCommand(text), NOW);
  const result = await command.handler(args, undefined as never, { who: 't', text });
  return JSON.parse(result.message) as Record<string, string>;
}

function refusal(text: string, r = registry()): MmlError {
  try {
    r.prepare(parseCommand(text), NOW);
  } catch (err) {
    expect(err).toBeInstanceOf(MmlError);
    return err as MmlError;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe('lookup', () => {
  it('takes the longest object that matches and leaves the rest as words', () => {
    const r = registry();
    expect(r.lookup('DSP', ['THING', 'STAT'])).toMatchObject({ command: { object: 'THING STAT' }, rest: [] });
    expect(r.lookup('dsp', ['thing', 'all'])).toMatchObject({ command: { object: 'THING' }, rest: ['ALL'] });
    expect(r.lookup('DSP', ['THG'])).toMatchObject({ command: { object: 'THING' }, rest: [] });
    expect(r.lookup('DSP', ['NOTHING'])).toBeUndefined();
    expect(r.get('dsp thing stat')?.help).toBe('Counts things');
    expect(r.get('DSP THING EXTRA')).toBeUndefined();
  });

  it('refuses declaration mistakes when registering', () => {
    const base = TEST_COMMANDS[0]!;
    expect(() => registry().register(base)).toThrow('MML command DSP THING: DSP THING is registered already');
    expect(() => new MmlRegistry().register({ ...base, aliases: ['THING STAT'] })).not.toThrow();
    expect(() => new MmlRegistry().register({ ...base, verb: 'dsp' })).toThrow(
      /verb "dsp" must be upper-case/,
    );
    expect(() =>
      new MmlRegistry().register({
        ...base,
        destructive: true,
        params: [{ name: 'CONFIRM', type: 'string', help: '' }],
      }),
    ).toThrow(/parameter CONFIRM is declared twice/);
    expect(() =>
      new MmlRegistry().register({
        ...base,
        params: [{ name: 'L', type: 'integer', min: 1, default: '0', help: '' }],
        words: {},
      }),
    ).toThrow(/the default of L \(0\) is not integer/);
    expect(() => new MmlRegistry().register({ ...base, params: [], words: { ALL: { X: '1' } } })).toThrow(
      /word ALL sets unknown parameter X/,
    );
  });
});

describe('prepare: coercion', () => {
  it('applies defaults and coerces every type', async () => {
    expect(await args('DSP THING')).toEqual({ LIMIT: '10' });
    expect(
      await args('DSP THING LABEL=ab LIMIT=+7 KIND=green DATE=2024-02-29 ADDR=2001:db8::1 ON=yes'),
    ).toEqual({ NAME: 'ab', LIMIT: '7', KIND: 'GREEN', DATE: '2024-02-29', ADDR: '2001:db8::1', ON: 'true' });
    expect(await args('DSP THING:ON=0,ADDR=10.0.0.1;')).toMatchObject({ ON: 'false', ADDR: '10.0.0.1' });
  });

  it('resolves TODAY and YESTERDAY in local time, also through a word', async () => {
    expect(await args('DSP THING DATE=today')).toMatchObject({ DATE: '2025-11-01' });
    expect(await args('DSP THING DATE=YESTERDAY')).toMatchObject({ DATE: '2025-10-31' });
    expect(await args('DSP THING TODAY')).toMatchObject({ DATE: '2025-11-01' });
    expect(await args('DSP THING ALL LIMIT=3')).toEqual({ LIMIT: '3' });
  });
});

describe('prepare: errors name the parameter and what it allows', () => {
  it.each([
    ['ADD THING', RETCODE.PARAMETER_ERROR, 'Missing parameter NAME (The name) required by ADD THING'],
    [
      'DSP THING LIMIT=abc',
      RETCODE.PARAMETER_ERROR,
      'Parameter LIMIT: expected an integer 1..100, got "abc"',
    ],
    [
      'DSP THING LIMIT=101',
      RETCODE.PARAMETER_ERROR,
      'Parameter LIMIT: expected an integer 1..100, got "101"',
    ],
    ['DSP THING LIMIT=0', RETCODE.PARAMETER_ERROR, 'Parameter LIMIT: expected an integer 1..100, got "0"'],
    [
      'DSP THING LIMIT=1.5',
      RETCODE.PARAMETER_ERROR,
      'Parameter LIMIT: expected an integer 1..100, got "1.5"',
    ],
    [
      'DSP THING KIND=BLUE',
      RETCODE.PARAMETER_ERROR,
      'Parameter KIND: expected one of RED, GREEN, got "BLUE"',
    ],
    [
      'DSP THING DATE=2025-02-29',
      RETCODE.PARAMETER_ERROR,
      'Parameter DATE: expected a date YYYY-MM-DD, TODAY or YESTERDAY, got "2025-02-29"',
    ],
    [
      'DSP THING ADDR=10.0.0.256',
      RETCODE.PARAMETER_ERROR,
      'Parameter ADDR: expected an IPv4 or IPv6 address, got "10.0.0.256"',
    ],
    ['DSP THING ON=maybe', RETCODE.PARAMETER_ERROR, 'Parameter ON: expected YES or NO, got "maybe"'],
    [
      'DSP THING NAME=abcdef',
      RETCODE.PARAMETER_ERROR,
      'Parameter NAME: expected text of at most 5 characters, got "abcdef"',
    ],
    [
      'DSP THING COLOR=RED',
      RETCODE.PARAMETER_ERROR,
      'Unknown parameter COLOR for DSP THING; allowed: NAME, LIMIT, KIND, DATE, ADDR, ON',
    ],
    [
      'DSP THING LIMT=5',
      RETCODE.PARAMETER_ERROR,
      'Unknown parameter LIMT for DSP THING; allowed: NAME, LIMIT, KIND, DATE, ADDR, ON. Did you mean LIMIT?',
    ],
    [
      'DSP THING STAT X=1',
      RETCODE.PARAMETER_ERROR,
      'Unknown parameter X for DSP THING STAT; it takes no parameters',
    ],
    [
      'DSP THING BOGUS',
      RETCODE.PARAMETER_ERROR,
      'Unexpected word BOGUS after DSP THING (it accepts ALL, TODAY); parameters are written NAME=value',
    ],
    // A parameter's name alone: its value is what is missing ("Did you mean LIMIT?" for LIMIT said nothing).
    ['DSP THING LIMIT', RETCODE.PARAMETER_ERROR, 'Parameter LIMIT has no value: write LIMIT=<value>'],
    [
      'DSP THING TODAY DATE=2025-01-01',
      RETCODE.PARAMETER_ERROR,
      'Parameter DATE is given twice (DATE and the word TODAY)',
    ],
    ['DSP THING NAME=a LABEL=b', RETCODE.PARAMETER_ERROR, 'Parameter NAME is given twice (LABEL and NAME)'],
    ['MOD THING NAME=x', RETCODE.PARAMETER_ERROR, 'MOD THING needs at least one of A, B'],
    [
      'ADD THING NAME=x SECRET=ab',
      RETCODE.PARAMETER_ERROR,
      'Parameter SECRET: expected text of 3..1024 characters',
    ],
  ])('%s → %i %s', (text, retcode, message) => {
    const e = refusal(text);
    expect(e.retcode).toBe(retcode);
    expect(e.message).toBe(message);
  });

  it('names every value that does not fit in one answer, in the order typed', () => {
    const e = refusal('DSP THING ON=maybe LIMIT=0 KIND=RED LABEL=abcdef');
    expect(e.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(e.message.split('\n')).toEqual([
      'Parameter ON: expected YES or NO, got "maybe"',
      'Parameter LIMIT: expected an integer 1..100, got "0"',
      'Parameter LABEL (NAME): expected text of at most 5 characters, got "abcdef"',
    ]);
  });

  it('names a required parameter left out after the values that do not fit, in the one answer', () => {
    expect(refusal('ADD THING SECRET=ab').message.split('\n')).toEqual([
      'Parameter SECRET: expected text of 3..1024 characters',
      'Missing parameter NAME (The name) required by ADD THING',
    ]);
  });

  it('never echoes the value of a secret parameter', () => {
    expect(refusal('ADD THING SECRET=hunter').message).not.toContain('hunter');
    expect(refusal('ADD THING NAME=x SECRET=ab').message).not.toContain('"ab"');
  });

  it('suggests the closest command for a typo in the verb or the object', () => {
    expect(refusal('DPS THING')).toMatchObject({
      retcode: RETCODE.UNKNOWN_COMMAND,
      message:
        'Unknown command DPS THING: there is no verb DPS (verbs: ADD, DSP, HELP, MOD, RMV). Did you mean DSP THING?',
    });
    expect(refusal('DSP THINGS').message).toBe(
      'Unknown command DSP THINGS: DSP takes THING, THING STAT. Did you mean DSP THING?',
    );
    expect(refusal('DSP THING STAAT').message).toBe(
      'Unexpected word STAAT after DSP THING (it accepts ALL, TODAY); parameters are written NAME=value',
    );
    expect(refusal('RMV THNIG').message).toBe(
      'Unknown command RMV THNIG: RMV takes THING. Did you mean RMV THING?',
    );
    expect(refusal('FOO BAR').message).toBe(
      'Unknown command FOO BAR: there is no verb FOO (verbs: ADD, DSP, HELP, MOD, RMV)',
    );
    expect(refusal('DSP')).toMatchObject({
      retcode: RETCODE.UNKNOWN_COMMAND,
      message: 'DSP needs an object: THING, THING STAT',
    });
  });
});

describe('no destructive command suggested for another object', () => {
  const real = createRegistry();
  const unknown = (text: string): string => {
    try {
      real.prepare(parseCommand(text), NOW);
    } catch (err) {
      return (err as MmlError).message;
    }
    throw new Error(`expected ${text} to be refused`);
  };

  it("says there is no CLR LOG (the original's tree had it) instead of offering CLR REG", () => {
    const said =
      'There is no CLR LOG: logs are not cleared by MML; they are day files under logs/ in the data folder (DSP SYSINFO shows it), to be deleted there';
    expect(unknown('CLR LOG BEFORE=2025-01-01 CONFIRM=YES')).toBe(said);
    expect(unknown('clr log')).toBe(said);
  });

  it("says there is no RST SERVICE (the original's tree's 重启服务) and where to restart", () => {
    expect(unknown('RST SERVICE CONFIRM=YES')).toMatch(
      /^There is no RST SERVICE: IMS Lab is not restarted by MML; restart it where it was started/,
    );
  });

  it('offers a destructive command for a typo of its object, never for another word', () => {
    expect(unknown('CLR RGE')).toMatch(/Did you mean CLR REG\?$/);
    expect(unknown('RMV USRE USERNAME=1')).toMatch(/Did you mean RMV USER\?$/);
    expect(unknown('CLR LUG CONFIRM=YES')).toMatch(/^Unknown command CLR LUG: CLR takes [A-Z, ]+$/);
    expect(unknown('RMV LOG')).toMatch(/^Unknown command RMV LOG: RMV takes [A-Z, ]+$/);
    // Not destructive: the nearest is offered as before.
    expect(unknown('DSP LOGG')).toMatch(/Did you mean DSP LOG\?$/);
  });
});

describe('CONFIRM on destructive commands', () => {
  it('refuses without CONFIRM=YES, after checking the other parameters', () => {
    expect(refusal('RMV THING NAME=a')).toMatchObject({
      retcode: RETCODE.CONFIRM_REQUIRED,
      message: 'RMV THING cannot be undone: add CONFIRM=YES to carry it out',
    });
    expect(refusal('RMV THING NAME=a CONFIRM=NO').retcode).toBe(RETCODE.CONFIRM_REQUIRED);
    expect(refusal('RMV THING CONFIRM=YES').message).toBe(
      'Missing parameter NAME (The name) required by RMV THING',
    );
    expect(refusal('RMV THING NAME=a CONFIRM=MAYBE').message).toBe(
      'Parameter CONFIRM: expected one of YES, NO, got "MAYBE"',
    );
  });

  it('runs with CONFIRM=YES (any case), which the handler does not see', async () => {
    expect(await args('RMV THING NAME=a CONFIRM=yes')).toEqual({ NAME: 'a' });
    expect(await args('RMV THING:NAME="a",CONFIRM=YES;')).toEqual({ NAME: 'a' });
  });

  it('is an unknown parameter on other commands', () => {
    expect(refusal('ADD THING NAME=a CONFIRM=YES').message).toMatch(
      /^Unknown parameter CONFIRM for ADD THING/,
    );
  });
});

describe('HELP', () => {
  it('lists every registered command, HELP itself included', () => {
    const r = createRegistry();
    const help = r.help();
    expect(help.retcode).toBe(0);
    const listed = help.tables[0]!.rows.map((row) => row[0]);
    expect(listed).toHaveLength(r.commands().length);
    expect(new Set(listed)).toEqual(new Set(r.commands().map(commandName)));
    expect(listed).toContain('HELP');
    expect(help.message).toBe(
      `${r.commands().length} commands; HELP <command> (e.g. HELP DSP USER) shows its parameters`,
    );
  });

  it('describes one command with every parameter, CONFIRM included', () => {
    const help = registry().help('rmv thing');
    expect(help.message).toBe(
      'RMV THING: Removes a thing\nIt cannot be undone: it runs only with CONFIRM=YES',
    );
    expect(help.tables[0]).toEqual({
      title: 'Parameters of RMV THING',
      columns: [
        { name: 'Parameter', type: 'string' },
        { name: 'Type', type: 'string' },
        { name: 'Required', type: 'boolean' },
        { name: 'Default', type: 'string' },
        { name: 'Allowed', type: 'string' },
        { name: 'Description', type: 'string' },
      ],
      rows: [
        ['NAME', 'string', true, null, 'text of at most 1024 characters', 'The name'],
        [
          'CONFIRM',
          'enum',
          true,
          null,
          'one of YES, NO',
          'YES to carry out this command, which cannot be undone',
        ],
      ],
    });
  });

  it('shows aliases, words and defaults', () => {
    const help = registry().help('DSP THING');
    expect(help.message).toBe(
      'DSP THING: Shows things\nAlso written: DSP THG\nWords after the object: ALL, TODAY (DATE=TODAY)',
    );
    expect(help.tables[0]!.rows[0]).toEqual([
      'NAME (LABEL)',
      'string',
      false,
      null,
      'text of at most 5 characters',
      'A name',
    ]);
    expect(help.tables[0]!.rows[1]).toEqual([
      'LIMIT',
      'integer',
      false,
      '10',
      'an integer 1..100',
      'How many',
    ]);
  });

  it('is reached through the HELP command in both forms, for a verb, a command or a parameter', async () => {
    const r = registry();
    const run = async (text: string) => {
      const { command, args } = r.prepare(parseCommand(text), NOW);
      return command.handler(args, undefined as never, { who: 't', text });
    };
    expect((await run('HELP DSP THING STAT')).message).toBe('DSP THING STAT: Counts things');
    expect((await run('HELP:CMD="dsp thing stat";')).message).toBe('DSP THING STAT: Counts things');
    expect((await run('HELP DSP')).tables[0]!.rows.map((row) => row[0])).toEqual([
      'DSP THING',
      'DSP THING STAT',
    ]);
    expect((await run('HELP ALL')).tables[0]!.rows).toHaveLength(r.commands().length);
    expect((await run('HELP PARAM=name')).tables[0]!.rows.map((row) => row[0])).toEqual([
      'DSP THING',
      'ADD THING',
      'MOD THING',
      'RMV THING',
    ]);
    expect(await run('HELP DSP THNG')).toMatchObject({
      retcode: RETCODE.UNKNOWN_COMMAND,
      message: 'No command DSP THNG. Did you mean DSP THING?',
    });
    expect(await run('HELP PARAM=LIMT')).toMatchObject({
      retcode: RETCODE.NOT_FOUND,
      message: 'No command takes a parameter LIMT. Did you mean LIMIT?',
    });
  });
});

describe('completion', () => {
  const r = registry();
  it.each([
    ['', ['ADD', 'DSP', 'HELP', 'MOD', 'RMV']],
    ['d', ['DSP']],
    ['DSP ', ['DSP THING', 'DSP THING STAT']],
    ['DSP TH', ['DSP THING', 'DSP THING STAT']],
    [
      'DSP THING ',
      [
        'DSP THING ADDR=',
        'DSP THING ALL',
        'DSP THING DATE=',
        'DSP THING KIND=',
        'DSP THING LIMIT=',
        'DSP THING NAME=',
        'DSP THING ON=',
        'DSP THING STAT',
        'DSP THING TODAY',
      ],
    ],
    ['DSP THING L', ['DSP THING LIMIT=']],
    ['DSP THING LIMIT=5 K', ['DSP THING LIMIT=5 KIND=']],
    [
      'DSP THING LIMIT=5 LABEL=x ',
      [
        'DSP THING LIMIT=5 LABEL=x ADDR=',
        'DSP THING LIMIT=5 LABEL=x DATE=',
        'DSP THING LIMIT=5 LABEL=x KIND=',
        'DSP THING LIMIT=5 LABEL=x ON=',
      ],
    ],
    ['dsp thing kind=g', ['dsp thing kind=GREEN']],
    ['DSP THING ON=', ['DSP THING ON=NO', 'DSP THING ON=YES']],
    ['RMV THING NAME=x C', ['RMV THING NAME=x CONFIRM=']],
    ['RMV THING NAME=x CONFIRM=', ['RMV THING NAME=x CONFIRM=NO', 'RMV THING NAME=x CONFIRM=YES']],
    [
      'DSP THING:',
      [
        'DSP THING:ADDR=',
        'DSP THING:DATE=',
        'DSP THING:KIND=',
        'DSP THING:LIMIT=',
        'DSP THING:NAME=',
        'DSP THING:ON=',
      ],
    ],
    ['DSP THING:KIND=RED, L', ['DSP THING:KIND=RED, LIMIT=']],
    ['DSP THING:KIND=R', ['DSP THING:KIND=RED']],
    ['DSP USER\nDSP THING ST', ['DSP USER\nDSP THING STAT']],
    ['XYZ ', []],
    ['DSP THING:ZZ', []],
  ])('%j', (input, expected) => {
    expect(r.complete(input)).toEqual(expected);
  });

  it('completes command names after HELP, the original names of objects, and SET CFG values', () => {
    const real = createRegistry();
    expect(real.complete('HELP D')).toContain('HELP DSP');
    expect(real.complete('HELP ADD U')).toEqual(['HELP ADD USER']);
    expect(real.complete('HELP H')).toEqual(['HELP HELP', 'HELP HOTKEY']); // HOTKEY: a topic, not a command
    expect(real.complete('HELP DSP ')).toEqual(
      expect.arrayContaining(['HELP DSP USER', 'HELP DSP REG', 'HELP DSP CFG']),
    );
    expect(real.complete('SET LOGL')).toEqual(['SET LOGLEVEL']);
    expect(real.complete('DSP ')).not.toContain('DSP SYSCFG');
    const levels = ['DEBUG', 'ERROR', 'INFO', 'WARNING'];
    expect(real.complete('SET CFG VALUE=')).toEqual(levels.map((l) => `SET CFG VALUE=${l}`));
    expect(real.complete('SET CFG KEY=LOG.LEVEL VALUE=W')).toEqual(['SET CFG KEY=LOG.LEVEL VALUE=WARNING']);
    expect(real.complete('SET CFG:KEY="LOG.LEVEL",VALUE=')).toEqual(
      levels.map((l) => `SET CFG:KEY="LOG.LEVEL",VALUE=${l}`),
    );
    expect(real.complete('SET CFG KEY=SIP.PORT VALUE=')).toEqual([]);
  });

  it('offers every command of the real registry, word by word', () => {
    const real = createRegistry();
    for (const c of real.commands()) {
      const words = commandName(c).split(' ');
      expect(real.complete(`${words[0]!.slice(0, 2)}`)).toContain(words[0]);
      if (words.length > 1)
        expect(real.complete(`${words[0]} ${words[1]!.slice(0, 1)}`)).toContain(commandName(c));
    }
  });
});

describe('closest', () => {
  it('measures edits, a swap counting as one', () => {
    expect(editDistance('DSP', 'DPS')).toBe(1);
    expect(editDistance('USER', 'USRE')).toBe(1);
    expect(editDistance('LIMIT', 'LIMT')).toBe(1);
    expect(editDistance('ABC', '')).toBe(3);
  });

  it('suggests only plausible typos', () => {
    expect(closest('usre', ['USER', 'REG'])).toBe('USER');
    expect(closest('XY', ['AB', 'XZ'])).toBeUndefined(); // 1 edit of 2 letters is not a typo
    expect(closest('FOO', ['USER', 'REG'])).toBeUndefined();
    expect(closest('REG', ['REG'])).toBe('REG');
  });

  it('measures no candidate whose length is more than 2 away (a 200,000-letter word held SIP for 23 s)', () => {
    const measured: string[] = [];
    const probe = (key: string) =>
      Object.assign(new String(key), {
        toUpperCase: () => (measured.push(key), key),
      }) as unknown as string;
    const keys = ['SIP.PORT', 'SIP.HOST', 'AUTH.LOCKOUT_WINDOW'].map(probe);
    expect(closest('B'.repeat(200_000), keys)).toBeUndefined();
    expect(measured).toEqual([]);
    expect(String(closest('SIP.PROT', keys))).toBe('SIP.PORT');
    expect(measured).toEqual(['SIP.PORT', 'SIP.HOST']);
  });
});

describe('MmlError from a handler', () => {
  it('keeps its code', () => {
    const e = new MmlError(RETCODE.NOT_FOUND, 'x');
    expect([e.retcode, e.message, e.name]).toEqual([5, 'x', 'MmlError']);
  });
});
