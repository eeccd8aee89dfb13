import { describe, expect, it } from 'vitest';
import { MmlSyntaxError, parseCommand, quoteValue, splitScript } from '../../../core/mml/grammar';

function syntaxError(text: string): MmlSyntaxError {
  try {
    parseCommand(text);
  } catch (err) {
    expect(err).toBeInstanceOf(MmlSyntaxError);
    return err as MmlSyntaxError;
  }
  throw new Error(`expected a syntax error for ${text}`);
}

const plain = (text: string) => {
  const p = parseCommand(text);
  return { verb: p.verb, words: p.words, object: p.object, params: Object.fromEntries(p.params) };
};

describe('parseCommand: the original form', () => {
  it('reads verb, object and NAME=value parameters', () => {
    expect(plain('DSP CDR DATE=2025-11-01 TYPE=CALL LIMIT=50')).toEqual({
      verb: 'DSP',
      words: ['CDR'],
      object: 'CDR',
      params: { DATE: '2025-11-01', TYPE: 'CALL', LIMIT: '50' },
    });
  });

  it('upper-cases verb, words and names but keeps the case of values', () => {
    expect(plain('dsp user username=alice Search=Smith')).toEqual({
      verb: 'DSP',
      words: ['USER'],
      object: 'USER',
      params: { USERNAME: 'alice', SEARCH: 'Smith' },
    });
  });

  it('returns every bare word in order (the registry picks the object)', () => {
    expect(plain('STR CALL SINGLE CALLEE=1009')).toMatchObject({
      words: ['STR', 'CALL', 'SINGLE'].slice(1),
      object: 'CALL SINGLE',
      params: { CALLEE: '1009' },
    });
    expect(plain('DSP  CALL\tSTAT')).toMatchObject({ words: ['CALL', 'STAT'], object: 'CALL STAT' });
    expect(plain('HELP')).toMatchObject({ verb: 'HELP', words: [], object: '' });
  });

  it('keeps everything after the first = in a bare value, commas and dots included', () => {
    expect(plain('STR CALL BATCH NUMBERS=1001,1002,1000-1005 URI=sip:a=b@x')).toMatchObject({
      params: { NUMBERS: '1001,1002,1000-1005', URI: 'sip:a=b@x' },
    });
  });

  it('reads quoted values with spaces, escaped quotes and backslashes', () => {
    expect(
      plain('ADD USER USERNAME=1001 NAME="John Smith" PHONE="" X="say \\"hi\\" \\\\ C:\\data"'),
    ).toMatchObject({
      params: { USERNAME: '1001', NAME: 'John Smith', PHONE: '', X: 'say "hi" \\ C:\\data' },
    });
  });

  it('accepts a final ; and records the text without it', () => {
    const p = parseCommand('  DSP USER USERNAME=1001 ;  ');
    expect(p.text).toBe('DSP USER USERNAME=1001');
    expect(p.params.get('USERNAME')).toBe('1001');
  });

  it('records where each parameter and its value are', () => {
    const p = parseCommand('ADD USER USERNAME=1001 PASSWORD="a b"');
    expect(p.positions.get('USERNAME')).toEqual({ name: 9, valueStart: 18, valueEnd: 22 });
    expect(p.positions.get('PASSWORD')).toEqual({ name: 23, valueStart: 32, valueEnd: 37, quoted: true });
  });
});

describe('parseCommand: spaces of other kinds', () => {
  it('takes a full-width space (U+3000) and a no-break space (U+00A0) between words as a space', () => {
    for (const space of ['\u3000', '\u00A0']) {
      expect(plain(`DSP${space}USER${space}USERNAME=1001`)).toEqual({
        verb: 'DSP',
        words: ['USER'],
        object: 'USER',
        params: { USERNAME: '1001' },
      });
      expect(splitScript(`DSP CDR${space}# 今天`).map((s) => s.text)).toEqual(['DSP CDR']);
      // In a value, quoted as any space; unquoted, the word after it is refused, not dropped.
      expect(plain(`ADD USER USERNAME=1 NAME="张${space}三"`).params.NAME).toBe(`张${space}三`);
      expect(syntaxError(`ADD USER USERNAME=1 NAME=张${space}三`).reason).toMatch(/"三"/);
    }
  });
});

describe('parseCommand: the Huawei form', () => {
  it('reads VERB OBJECT:NAME=value,...;', () => {
    expect(plain('DSP CDR:DATE="2025-11-01",TYPE=CALL;')).toEqual({
      verb: 'DSP',
      words: ['CDR'],
      object: 'CDR',
      params: { DATE: '2025-11-01', TYPE: 'CALL' },
    });
  });

  it('allows spaces around = and after commas, and a two-word object', () => {
    expect(plain('dsp call stat: LIMIT = 5 , TYPE="A, B";')).toEqual({
      verb: 'DSP',
      words: ['CALL', 'STAT'],
      object: 'CALL STAT',
      params: { LIMIT: '5', TYPE: 'A, B' },
    });
  });

  it('accepts an object with no parameters', () => {
    expect(plain('DSP SYSINFO:;')).toEqual({
      verb: 'DSP',
      words: ['SYSINFO'],
      object: 'SYSINFO',
      params: {},
    });
  });

  it('ends a bare value at a comma', () => {
    expect(plain('ADD USER:USERNAME=1001,PASSWORD=x')).toMatchObject({
      params: { USERNAME: '1001', PASSWORD: 'x' },
    });
  });
});

describe('parseCommand: errors name the column', () => {
  it.each([
    ['', 1, /empty command/],
    ['123 USER', 1, /expected a command verb/],
    [
      'DSP USER NAME=John Smith',
      20,
      /unexpected word "Smith" after the parameters: a value with spaces must be quoted, e.g. NAME="a b"/,
    ],
    ['DSP USER NAME="John', 15, /unterminated quoted value/],
    ['DSP USER NAME=', 15, /parameter NAME has no value \(write NAME="" for an empty value\)/],
    ['DSP USER A=1 A=2', 14, /parameter A is given twice/],
    ['DSP USER A=1 a=2', 14, /parameter A is given twice/],
    ['DSP USER:A=1 B=2', 14, /expected "," between parameters/],
    ['DSP USER:FOO', 13, /expected "=" after FOO/],
    ['DSP USER-X', 9, /unexpected "-" in "USER"/],
    ['DSP USER A=x"y', 13, /a quote inside the value of A/],
    ['DSP USER A="x"y', 15, /unexpected "y" after the quoted value of A/],
    ['DSP USER 9=1', 10, /expected an object word or a parameter NAME=value, got "9"/],
    ['DSP USER:A=1,,B=2', 14, /a parameter is missing/],
    ['DSP USER; DSP REG', 9, /unexpected ";" inside the command/],
    ['DSP$ USER', 4, /unexpected "\$" after the verb DSP/],
  ])('%j → column %i', (text, column, reason) => {
    const e = syntaxError(text);
    expect(e.column).toBe(column);
    expect(e.reason).toMatch(reason);
    expect(e.line).toBe(1);
  });

  it('reports a comma in the original form clearly', () => {
    const e = syntaxError('DSP USER A=1 ,B=2');
    expect(e.reason).toBe('unexpected ",": separate parameters with spaces, or use VERB OBJECT:A=1,B=2;');
    expect(e.column).toBe(14);
  });

  it('adds the line and the column where the statement starts', () => {
    const e = (() => {
      try {
        parseCommand('DSP USER NAME=John Smith', 3, 5);
      } catch (err) {
        return err as MmlSyntaxError;
      }
      throw new Error('no error');
    })();
    expect([e.line, e.column]).toEqual([3, 24]);
    expect(e.message).toBe(
      'line 3, column 24: unexpected word "Smith" after the parameters: a value with spaces must be quoted, e.g. NAME="a b"',
    );
  });
});

describe('splitScript', () => {
  it('splits lines and ; terminators, dropping comments and blank statements', () => {
    const script = [
      '// provisioning',
      'ADD USER USERNAME=1001 PASSWORD=1001;  // the first one',
      '',
      '   ADD USER:USERNAME="1002",PASSWORD="a;b";DSP USER',
      'DSP REG // registrations',
      ';;',
    ].join('\r\n');
    expect(splitScript(script)).toEqual([
      { text: 'ADD USER USERNAME=1001 PASSWORD=1001', line: 2, column: 1 },
      { text: 'ADD USER:USERNAME="1002",PASSWORD="a;b"', line: 4, column: 4 },
      { text: 'DSP USER', line: 4, column: 44 },
      { text: 'DSP REG', line: 5, column: 1 },
    ]);
  });

  it("keeps a ';' inside a bare value of the original's form, as the original read it", () => {
    expect(splitScript('ADD USR USERNAME=2001 PASSWORD=ab;cd').map((s) => s.text)).toEqual([
      'ADD USR USERNAME=2001 PASSWORD=ab;cd',
    ]);
    expect(parseCommand('ADD USR USERNAME=2001 PASSWORD=ab;cd').params.get('PASSWORD')).toBe('ab;cd');
    const uri = 'DSP REG URI=sip:1001@lab;transport=tcp';
    expect(parseCommand(splitScript(uri)[0]!.text).params.get('URI')).toBe('sip:1001@lab;transport=tcp');
    // It still ends a statement: before a space or the end, after a word or a quoted value, and in the
    // Huawei form (whose values with a ';' are quoted).
    expect(
      splitScript('DSP USER;DSP REG; ADD USER USERNAME=1 PASSWORD=2; DSP CALL;').map((s) => s.text),
    ).toEqual(['DSP USER', 'DSP REG', 'ADD USER USERNAME=1 PASSWORD=2', 'DSP CALL']);
    expect(splitScript('SET X A="b";DSP USER').map((s) => s.text)).toEqual(['SET X A="b"', 'DSP USER']);
    expect(splitScript('ADD USER:USERNAME=1,PASSWORD=2;DSP USER:;').map((s) => s.text)).toEqual([
      'ADD USER:USERNAME=1,PASSWORD=2',
      'DSP USER:',
    ]);
    expect(parseCommand('ADD USER USERNAME=1 PASSWORD=2;').params.get('PASSWORD')).toBe('2');
  });

  it("keeps ';help' at the end of a bare value, as ';dsp' (a verb ends it only before a space or ':')", () => {
    for (const password of ['abc;help', 'Xy7;Help!2', 'Xy7;Helper', 'abc;dsp']) {
      const [one, ...more] = splitScript(`ADD USER USERNAME=5801 PASSWORD=${password}`);
      expect(more).toEqual([]);
      expect(parseCommand(one!.text).params.get('PASSWORD')).toBe(password);
    }
    expect(splitScript('DSP USER USERNAME=1001;HELP DSP USER').map((s) => s.text)).toEqual([
      'DSP USER USERNAME=1001',
      'HELP DSP USER',
    ]);
    expect(splitScript('DSP USER;HELP').map((s) => s.text)).toEqual(['DSP USER', 'HELP']);
  });

  it("ends a statement at a ';' before the next command's verb, even with no space", () => {
    expect(splitScript('DSP USER USERNAME=1001;DSP REG STAT').map((s) => s.text)).toEqual([
      'DSP USER USERNAME=1001',
      'DSP REG STAT',
    ]);
    expect(splitScript('EXP CDR;EXP CDR TYPE=REGISTER;EXP CDR').map((s) => s.text)).toEqual([
      'EXP CDR',
      'EXP CDR TYPE=REGISTER',
      'EXP CDR',
    ]);
  });

  it("reads a Chinese input method's full-width punctuation where the grammar needs ASCII", () => {
    const parsed = (line: string) =>
      splitScript(line).map((st) => {
        const p = parseCommand(st.text);
        return [p.object, Object.fromEntries(p.params)];
      });
    expect(parsed('ADD USER：USERNAME＝8003，NAME＝王五；')).toEqual([
      ['USER', { USERNAME: '8003', NAME: '王五' }],
    ]);
    expect(parsed('ADD USER USERNAME=8003 PASSWORD=secret；')).toEqual([
      ['USER', { USERNAME: '8003', PASSWORD: 'secret' }],
    ]);
    expect(parsed('MOD USER USERNAME=1003 NAME=“张 三”')).toEqual([
      ['USER', { USERNAME: '1003', NAME: '张 三' }],
    ]);
    expect(parsed('DSP USER；DSP REG')).toEqual([
      ['USER', {}],
      ['REG', {}],
    ]);
    // Inside a value each stays as typed, as in ASCII quotes.
    expect(parsed('MOD USER USERNAME=1003 NAME=张三，李四')).toEqual([
      ['USER', { USERNAME: '1003', NAME: '张三，李四' }],
    ]);
    expect(parsed('ADD USER USERNAME=1 PASSWORD=ab；cd')).toEqual([
      ['USER', { USERNAME: '1', PASSWORD: 'ab；cd' }],
    ]);
    expect(parsed('MOD USER USERNAME=1 NAME="a；b，c＝d“e”"')).toEqual([
      ['USER', { USERNAME: '1', NAME: 'a；b，c＝d“e”' }],
    ]);
    // One character for one: a column still points at the right place.
    expect(splitScript('DSP USER；  DSP REG')[1]!.column).toBe(12);
  });

  it("reads the full-width punctuation with the input method's full-width space or a no-break space beside it", () => {
    const parsed = (line: string) =>
      splitScript(line).map((st) => {
        const p = parseCommand(st.text);
        return [p.verb, p.object, Object.fromEntries(p.params)];
      });
    for (const space of ['\u3000', '\u00A0']) {
      // The IME's '；' then its space ended nothing: the password was stored as "newpw；".
      expect(parsed(`MOD USER USERNAME=1005 PASSWORD＝newpw；${space}`)).toEqual([
        ['MOD', 'USER', { USERNAME: '1005', PASSWORD: 'newpw' }],
      ]);
      expect(parsed(`DSP USER USERNAME=1001；${space}`)).toEqual([['DSP', 'USER', { USERNAME: '1001' }]]);
      // '，' then the space reads as ', ' does: in the Huawei form it separates; in the original's
      // space-separated form a ',' ending a word stays in its value there as here (NAME=Smith,John).
      expect(parsed(`MOD USER：USERNAME＝1005，${space}PHONE＝123`)).toEqual([
        ['MOD', 'USER', { USERNAME: '1005', PHONE: '123' }],
      ]);
      expect(parsed(`MOD USER USERNAME=1005，${space}PHONE＝123`)).toEqual(
        parsed('MOD USER USERNAME=1005, PHONE=123'),
      );
      expect(parsed(`ADD${space}USER：USERNAME＝8005，PASSWORD＝wu5pass；`)).toEqual([
        ['ADD', 'USER', { USERNAME: '8005', PASSWORD: 'wu5pass' }],
      ]);
      expect(parsed(`DSP${space}USER：USERNAME＝1001；`)).toEqual([['DSP', 'USER', { USERNAME: '1001' }]]);
      expect(parsed(`DSP${space}USER:USERNAME=1001`)).toEqual([['DSP', 'USER', { USERNAME: '1001' }]]);
      expect(parsed(`DSP USER：USERNAME=1001`)).toEqual([['DSP', 'USER', { USERNAME: '1001' }]]);
      for (const line of [
        `DSP USER USERNAME=1001；${space}DSP REG STAT`,
        `DSP USER USERNAME=1001；DSP${space}REG STAT`,
        `DSP USER USERNAME=1001; DSP REG STAT`,
      ]) {
        expect(parsed(line)).toEqual([
          ['DSP', 'USER', { USERNAME: '1001' }],
          ['DSP', 'REG STAT', {}],
        ]);
      }
      // Still one character for one, and a '；' inside a value still stays.
      expect(splitScript(`DSP USER；${space}DSP REG`)[1]!.column).toBe(11);
      expect(parsed(`ADD USER USERNAME=1 PASSWORD=ab；cd${space}`)).toEqual([
        ['ADD', 'USER', { USERNAME: '1', PASSWORD: 'ab；cd' }],
      ]);
    }
  });

  it('keeps // inside quotes and inside a bare value', () => {
    expect(splitScript('IMP USER FILE=/data//users.json NAME="a // b" // note')).toEqual([
      { text: 'IMP USER FILE=/data//users.json NAME="a // b"', line: 1, column: 1 },
    ]);
  });

  it("drops the original README's # comments, and keeps a # inside a value or quotes", () => {
    expect(splitScript('DSP CDR                           # 查询今天的 CDR')).toEqual([
      { text: 'DSP CDR', line: 1, column: 1 },
    ]);
    expect(
      splitScript('# provisioning\nADD USER USERNAME=1004 PASSWORD=1004      # 添加用户').map((s) => s.text),
    ).toEqual(['ADD USER USERNAME=1004 PASSWORD=1004']);
    expect(
      splitScript('STR CALL SINGLE CALLEE=1001 DTMF=123# NAME="a # b" # note').map((s) => s.text),
    ).toEqual(['STR CALL SINGLE CALLEE=1001 DTMF=123# NAME="a # b"']);
  });

  it("keeps a # or // after a ',' or a ';' inside a bare value (it was cut there as a comment)", () => {
    for (const password of ['ab,#cd', 'ab;#cd', 'ab,//cd', 'ab;//cd']) {
      const [one, ...more] = splitScript(`ADD USER USERNAME=5812 PASSWORD=${password}`);
      expect(more).toEqual([]);
      expect(parseCommand(one!.text).params.get('PASSWORD')).toBe(password);
    }
    // After the ';' that ends a statement, a comment all the same.
    expect(splitScript('DSP USER;# note\nDSP REG; // note').map((s) => s.text)).toEqual([
      'DSP USER',
      'DSP REG',
    ]);
    // After a value's ';' or ',' with a space after it: a comment, as before (PASSWORD=2;# note).
    expect(
      parseCommand(splitScript('ADD USER USERNAME=1 PASSWORD=2;# note')[0]!.text).params.get('PASSWORD'),
    ).toBe('2');
    expect(splitScript('ADD USER USERNAME=1 PASSWORD=2,// note')[0]!.text).toBe(
      'ADD USER USERNAME=1 PASSWORD=2,',
    );
  });

  it('keeps escaped quotes from ending a quoted value', () => {
    expect(splitScript('SET X A="q\\";still";DSP USER').map((s) => s.text)).toEqual([
      'SET X A="q\\";still"',
      'DSP USER',
    ]);
  });

  it('drops a byte order mark that starts the script, so a first-line comment is one (F1)', () => {
    for (const eol of ['\n', '\r\n']) {
      for (const comment of ['# comment', '// provisioning script']) {
        expect(splitScript(`\uFEFF${comment}${eol}DSP USER USERNAME=1001${eol}`)).toEqual([
          { text: 'DSP USER USERNAME=1001', line: 2, column: 1 },
        ]);
      }
    }
    // Columns do not count the mark.
    const [bad] = splitScript('\uFEFFDSP USER:X=');
    expect(bad).toEqual({ text: 'DSP USER:X=', line: 1, column: 1 });
  });

  it('returns nothing for blank or comment-only scripts', () => {
    expect(splitScript('')).toEqual([]);
    expect(splitScript('  \n// only a comment\n ; ')).toEqual([]);
  });

  it('gives statements that parse with their line and column', () => {
    const [a, b] = splitScript('DSP USER\n  ADD USER:USERNAME=1,X=');
    expect(parseCommand(a!.text, a!.line, a!.column).object).toBe('USER');
    expect(() => parseCommand(b!.text, b!.line, b!.column)).toThrow(
      'line 2, column 25: parameter X has no value',
    );
  });
});

describe('quoteValue', () => {
  it.each([
    ['1001', '1001'],
    ['John Smith', '"John Smith"'],
    ['', '""'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['a,b', '"a,b"'],
    ['x//y', '"x//y"'],
  ])('%j → %s, which parses back', (value, quoted) => {
    expect(quoteValue(value)).toBe(quoted);
    expect(parseCommand(`SET X V=${quoted}`).params.get('V')).toBe(value);
  });
});
