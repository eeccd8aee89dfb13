import { describe, expect, it } from 'vitest';
import type { MmlResult, MmlTable } from '../../../core/mml/command';
import { turnsDuring } from '../../support/turns';
import {
  displayWidth,
  localDateTime,
  renderText,
  renderTexts,
  renderTextsAsync,
} from '../../../core/mml/text';

/** What must not be left in the text: controls, bidi controls, the zero-width space and direction marks. */
// eslint-disable-next-line no-control-regex -- finding control characters is its purpose
const CONTROL_LEFT = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

const T = new Date(2025, 10, 1, 9, 30, 5).getTime();

const users: MmlTable = {
  title: 'Users',
  columns: [
    { name: 'Username', type: 'string' },
    { name: 'Display name', type: 'string' },
    { name: 'Logins', type: 'integer' },
    { name: 'Active', type: 'boolean' },
    { name: 'Created', type: 'time' },
  ],
  rows: [
    ['1001', '张三', 3, true, T],
    ['1002', 'Bob', 12, false, null],
  ],
};

describe('renderText', () => {
  it('prints the RETCODE line, the table with aligned columns and the count', () => {
    const result: MmlResult = {
      retcode: 0,
      message: 'Operation succeeded',
      tables: [users],
      command: 'DSP USER',
    };
    expect(renderText(result)).toBe(
      [
        '%%DSP USER;%%',
        'RETCODE = 0  Operation succeeded',
        '',
        'Users',
        '-----',
        'Username  Display name  Logins  Active  Created',
        '1001      张三               3  YES     2025-11-01 09:30:05',
        '1002      Bob               12  NO      -',
        '(Number of results = 2)',
        '',
        '---    END',
        '',
      ].join('\n'),
    );
  });

  it('prints a single row as Name = value lines', () => {
    const one: MmlTable = { ...users, title: 'User', rows: [['1001', '张三', 3, true, T]] };
    expect(renderText({ retcode: 0, message: 'User 1001 added', tables: [one] }, { echo: false })).toBe(
      [
        'RETCODE = 0  User 1001 added',
        '',
        'User',
        '----',
        '    Username  =  1001',
        'Display name  =  张三',
        '      Logins  =  3',
        '      Active  =  YES',
        '     Created  =  2025-11-01 09:30:05',
        '(Number of results = 1)',
        '',
        '---    END',
        '',
      ].join('\n'),
    );
  });

  it('prints an error with no table, and further message lines below the RETCODE line', () => {
    expect(
      renderText({
        retcode: 3,
        message: 'Parameter LIMIT: expected an integer 1..1000, got "abc"\nsecond line',
        tables: [],
        command: 'DSP USER LIMIT=abc',
      }),
    ).toBe(
      [
        '%%DSP USER LIMIT=abc;%%',
        'RETCODE = 3  Parameter LIMIT: expected an integer 1..1000, got "abc"',
        'second line',
        '',
        '---    END',
        '',
      ].join('\n'),
    );
  });

  it('shows an empty table, a page of a total, numbers and a restart note', () => {
    const text = renderText(
      {
        retcode: 0,
        message: 'SIP.PORT = 6000',
        restartNeeded: true,
        tables: [
          { title: 'Nothing', columns: [{ name: 'A', type: 'string' }], rows: [] },
          {
            columns: [
              { name: 'Name', type: 'string' },
              { name: 'Ratio', type: 'number' },
            ],
            rows: [
              ['a', 1.5],
              ['bb', 2],
              ['c\nd', 0.125],
            ],
            total: 7,
          },
        ],
      },
      { formatTime: () => 'never' },
    );
    expect(text).toBe(
      [
        'RETCODE = 0  SIP.PORT = 6000',
        '(The change takes effect after a restart of IMS Lab)',
        '',
        'Nothing',
        '-------',
        '(Number of results = 0)',
        '',
        'Name  Ratio',
        'a      1.50',
        'bb     2.00',
        'c d    0.13',
        '(Number of results = 3, total = 7)',
        '',
        '---    END',
        '',
      ].join('\n'),
    );
  });

  it('separates the results of a script by a blank line', () => {
    const a: MmlResult = { retcode: 0, message: 'one', tables: [] };
    const b: MmlResult = { retcode: 2, message: 'two', tables: [] };
    expect(renderTexts([a, b])).toBe('RETCODE = 0  one\n\n---    END\n\nRETCODE = 2  two\n\n---    END\n');
  });
});

describe('displayWidth and times', () => {
  it('counts wide characters as two cells', () => {
    expect(displayWidth('1001')).toBe(4);
    expect(displayWidth('用户1001')).toBe(8);
    expect(displayWidth('ｆｕｌｌ')).toBe(8);
    expect(displayWidth('é')).toBe(1);
  });

  it('formats local times to the second', () => {
    expect(localDateTime(T)).toBe('2025-11-01 09:30:05');
  });
});

describe('renderTextsAsync', () => {
  // DSP USER ALL over 20,000 users is 1.9 MB of text: rendered in one turn of the event loop, SIP waited.
  it('renders what renderTexts does, letting other events run every thousand rows or results', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [String(100000 + i), `用户${i}`, i, i % 2 === 0, T]);
    const many: MmlResult[] = [
      { retcode: 0, message: 'Listed', tables: [{ ...users, rows }], command: 'DSP USER ALL' },
      ...Array.from({ length: 1500 }, (_, i) => ({
        retcode: 0,
        message: `User ${i} modified`,
        tables: [{ ...users, rows: [rows[i]!] }],
      })),
    ];
    const { result: text, turns } = await turnsDuring(() => renderTextsAsync(many));
    expect(text).toBe(renderTexts(many));
    expect(turns).toBeGreaterThanOrEqual(10);
  });
});

describe('what a SIP peer put in a cell', () => {
  it('is printed with its controls, bidi overrides and zero-width characters escaped as the log writes them', () => {
    const table: MmlTable = {
      title: 'Registrations',
      columns: [
        { name: 'AOR', type: 'string' },
        { name: 'User-Agent', type: 'string' },
      ],
      rows: [
        ['sip:1001@ims.lab', 'esc\x1b]0;PWNED\x07\x1b[2Jtail'],
        ['sip:1002@ims.lab', 'Phone \u202ekcatta \u2066x\u2069\u200b'],
        ['sip:1003@ims.lab', 'هاتف עברית'],
      ],
    };
    const text = renderText({ retcode: 0, message: 'Operation succeeded', tables: [table] });
    expect(text).not.toMatch(CONTROL_LEFT);
    expect(text).toContain('esc\\x1B]0;PWNED\\x07\\x1B[2Jtail');
    expect(text).toContain('Phone \\u202Ekcatta \\u2066x\\u2069\\u200B');
    expect(text).toContain('هاتف עברית');
  });
});
