import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ok, RETCODE } from '../../../core/mml/command';
import type { MmlResult } from '../../../core/mml/command';
import type { MmlExecution } from '../../../core/mml/engine';
import { SqliteMmlHistory } from '../../../core/mml/history';
import type { Log } from '../../../core/observe/log';
import { MmlEngine } from '../../../core/mml/engine';
import { notRunFrom } from '../../../core/cli/not-run';
import { renderTexts } from '../../../core/mml/text';
import { executeAnswer } from '../../../core/http/original-compat';
import { closeDatabase, DATABASE_FILE, openDatabase } from '../../../core/store/database';
import { makeDir, NOW, openLab, useLabs } from './lab';

useLabs();

const brief = (r: MmlResult) => [r.retcode, r.command, r.message];

describe('MmlEngine.execute', () => {
  it('runs every statement of a script, continuing after a failure, one result each', async () => {
    const lab = openLab();
    const results = await lab.engine.execute(
      [
        '// provisioning script',
        'ADD USER USERNAME=1001 PASSWORD=pw1;',
        'ADD USER USERNAME=1001 PASSWORD=pw2   // a duplicate',
        'ADD USER:USERNAME="1002",PASSWORD="p w",NAME="Bob B.";DSP USER LIMIT=x',
        'ADD USER USERNAME=1003 NAME=John Smith',
        'DSP USER',
      ].join('\n'),
      'alice',
    );
    expect(results.map(brief)).toEqual([
      [0, 'ADD USER USERNAME=1001 PASSWORD=*****', 'User 1001 added'],
      [6, 'ADD USER USERNAME=1001 PASSWORD=*****', 'User 1001 already exists'],
      [0, 'ADD USER:USERNAME="1002",PASSWORD=*****,NAME="Bob B."', 'User 1002 added'],
      [3, 'DSP USER LIMIT=x', 'Parameter LIMIT: expected an integer 1..1000, got "x"'],
      [
        1,
        'ADD USER USERNAME=1003 NAME=John Smith',
        'Syntax error at line 5, column 34: unexpected word "Smith" after the parameters: a value with spaces must be quoted, e.g. NAME="a b"',
      ],
      [0, 'DSP USER', 'Operation succeeded'],
    ]);
    expect(results[5]!.tables[0]!.rows.map((r) => [r[0], r[1]])).toEqual([
      ['1001', '用户1001'],
      ['1002', 'Bob B.'],
    ]);
    expect(lab.users.count()).toBe(2);
  });

  it("refuses a secret given as the history's mask (a recalled statement run again), naming it, in both languages", async () => {
    const lab = openLab();
    await lab.engine.execute('ADD USER USERNAME=4001 PASSWORD=secret4001', 'alice');
    const recalled = lab.history.recent(1).at(-1)!.command;
    expect(recalled).toBe('ADD USER USERNAME=4001 PASSWORD=*****');
    const [again] = await lab.engine.execute(recalled.replace('4001', '4003'), 'alice');
    expect(brief(again!)).toEqual([
      3,
      'ADD USER USERNAME=4003 PASSWORD=*****',
      'Parameter PASSWORD: ***** is how the history hides a secret; type the value itself',
    ]);
    expect(lab.users.get('4003')).toBeUndefined();
    const [mod] = await lab.engine.execute('MOD USER:USERNAME=4001,PASSWORD="*****"', 'alice', {
      lang: 'zh',
    });
    expect([mod!.retcode, mod!.message]).toEqual([
      3,
      '参数 PASSWORD 错误: ***** 是历史记录对密码的遮盖，请输入密码本身',
    ]);
    const [cfg] = await lab.engine.execute('SET CFG KEY=DIALER.PASSWORD VALUE=*****', 'alice');
    expect(cfg!.retcode).toBe(3);
    expect(cfg!.message).toMatch(/^Parameter VALUE: /);
    // A password that only contains the mask is a password.
    const [other] = await lab.engine.execute('MOD USER USERNAME=4001 PASSWORD=a*****b', 'alice');
    expect(other!.retcode).toBe(0);
  });

  it('numbers the lines of a piece of a longer script from its firstLine', async () => {
    const lab = openLab();
    const [r] = await lab.engine.execute('DSP USER NAME="x', 'alice', { firstLine: 200_012 });
    expect(r!.message).toBe(
      'Syntax error at line 200012, column 15: unterminated quoted value: a closing " is missing',
    );
  });

  it('gives every answer of a script of several lines its line, in the results and after the echo', async () => {
    const lab = openLab();
    const script = '# header\nDSP USER USERNAME=1001\n\nMOD USER USERNAME=1001 STATUS=bad;DSP USER X="';
    const results = await lab.engine.execute(script, 'alice', { firstLine: 2799 });
    expect(results.map((r) => [r.line, r.retcode])).toEqual([
      [2800, RETCODE.NOT_FOUND],
      [2802, RETCODE.PARAMETER_ERROR],
      [2802, RETCODE.SYNTAX_ERROR],
    ]);
    const text = renderTexts(results);
    expect(text).toContain('%%DSP USER USERNAME=1001;%%  (line 2800)\nRETCODE = 5');
    expect(text).toContain('%%MOD USER USERNAME=1001 STATUS=bad;%%  (line 2802)\nRETCODE = 3');
    const zh = await lab.engine.execute(script, 'alice', { lang: 'zh' });
    expect(renderTexts(zh)).toContain('%%DSP USER USERNAME=1001;%%  （第 2 行）\nRETCODE = 5');
    // One line (or statements on one line): no number; the original's /api/execute output keeps none.
    const one = await lab.engine.execute('DSP USER USERNAME=1001;DSP USER USERNAME=1002', 'alice');
    expect(one.map((r) => r.line)).toEqual([undefined, undefined]);
    expect(executeAnswer(results, NOW).output).not.toContain('(line');
  });

  it('says where a syntax error is by column alone for a one-line command', async () => {
    const lab = openLab();
    const [r] = await lab.engine.execute('DSP USER NAME="x', 'alice');
    expect(brief(r!)).toEqual([
      1,
      'DSP USER NAME="x',
      'Syntax error at column 15: unterminated quoted value: a closing " is missing',
    ]);
  });

  it('answers an empty script with one SYNTAX_ERROR and records nothing', async () => {
    const lab = openLab();
    for (const script of ['', '   ', '// nothing\n;']) {
      expect(await lab.engine.execute(script, 'alice')).toEqual([
        {
          retcode: RETCODE.SYNTAX_ERROR,
          message: 'Empty command: type a command such as DSP USER, or HELP',
          tables: [],
        },
      ]);
    }
    expect(lab.history.recent(10)).toEqual([]);
  });

  it('turns a handler fault into INTERNAL_ERROR, logs it and carries on', async () => {
    const lab = openLab();
    const errors: string[] = [];
    const log: Log = {
      debug: () => undefined,
      info: () => undefined,
      warning: () => undefined,
      error: (m) => errors.push(m),
    };
    lab.engine.registry.register({
      verb: 'TST',
      object: 'BOOM',
      group: 'Test',
      help: 'Throws',
      params: [],
      handler: () => {
        throw new TypeError('kaboom');
      },
    });
    lab.engine.registry.register({
      verb: 'TST',
      object: 'LATER',
      group: 'Test',
      help: 'Answers later',
      params: [{ name: 'KEY', type: 'string', secret: true, help: 'k' }],
      handler: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return ok('later');
      },
    });
    const engine = new MmlEngine(lab.engine.registry, lab.ctx, { log });
    const results = await engine.execute('TST BOOM\nTST LATER KEY=abc', 'bob');
    expect(results.map(brief)).toEqual([
      [99, 'TST BOOM', 'Command failed: kaboom'],
      [0, 'TST LATER KEY=*****', 'later'],
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^MML: TST BOOM failed: TypeError: kaboom/);
  });

  it('takes no further statement once the appliance is stopping, naming the lines not run', async () => {
    const lab = openLab();
    const stopping = new AbortController();
    lab.engine.registry.register({
      verb: 'TST',
      object: 'STOP',
      group: 'Test',
      help: 'The appliance begins to stop while this runs',
      params: [],
      handler: () => {
        stopping.abort();
        return Promise.resolve(ok('stopping now'));
      },
    });
    const engine = new MmlEngine(lab.engine.registry, lab.ctx, { stopping: stopping.signal });
    const script =
      'ADD USER USERNAME=5001 PASSWORD=pw\nTST STOP\nADD USER USERNAME=5002 PASSWORD=pw\n// end\nDSP USER';
    const results = await engine.execute(script, 'dan');
    expect(results.map((r) => [r.retcode, r.message, r.line])).toEqual([
      [0, 'User 5001 added', 1],
      [0, 'stopping now', 2],
      [7, 'Not run: the server is stopping (lines 3-5)', 3],
    ]);
    expect(lab.ctx.users.get('5002')).toBeUndefined();
    const zh = await engine.execute('DSP USER', 'dan', { lang: 'zh' });
    expect(zh.map((r) => [r.retcode, r.message])).toEqual([[7, '未执行: 服务器正在停止（第 1 行）']]);
    // The mml client reads these answers, in either language, as the script cut short there (exit 4).
    expect(notRunFrom(results)).toBe(3);
    expect(notRunFrom(zh)).toBe(1);
  });

  it('tells onExecuted listeners about every statement, until they unsubscribe', async () => {
    const lab = openLab();
    const seen: MmlExecution[] = [];
    const off = lab.engine.onExecuted((e) => seen.push(e));
    await lab.engine.execute('DSP SYSINFO\nFOO', 'carol');
    off();
    await lab.engine.execute('DSP SYSINFO', 'carol');
    expect(seen.map((e) => [e.who, e.at, e.command, e.result.retcode])).toEqual([
      ['carol', NOW, 'DSP SYSINFO', 0],
      ['carol', NOW, 'FOO', 2],
    ]);
  });

  it('completes through the registry', () => {
    const lab = openLab();
    expect(lab.engine.complete('DSP RE')).toEqual(['DSP REG', 'DSP REG STAT']);
  });
});

describe('command history', () => {
  it('is kept in the SQLite file, secrets masked, across a restart', async () => {
    const dir = makeDir();
    const lab = openLab(dir);
    await lab.engine.execute('ADD USER USERNAME=1001 PASSWORD=topsecret', 'alice');
    lab.clock.now = NOW + 60_000;
    await lab.engine.execute('DSP USR USERNAME=1009\nADD USER:USERNAME=1002,PASSWORD="top secret', 'bob');
    closeDatabase(lab.db);

    const raw = new BetterSqlite3(join(dir, DATABASE_FILE), { readonly: true });
    const rows = raw
      .prepare('SELECT id, at, who, command, retcode, message FROM mml_history ORDER BY id')
      .all();
    raw.close();
    expect(rows).toEqual([
      {
        id: 1,
        at: NOW,
        who: 'alice',
        command: 'ADD USER USERNAME=1001 PASSWORD=*****',
        retcode: 0,
        message: 'User 1001 added',
      },
      {
        id: 2,
        at: NOW + 60_000,
        who: 'bob',
        command: 'DSP USR USERNAME=1009',
        retcode: 5,
        message: 'User 1009 does not exist',
      },
      {
        id: 3,
        at: NOW + 60_000,
        who: 'bob',
        command: 'ADD USER:USERNAME=1002,PASSWORD=*****',
        retcode: 1,
        message: 'Syntax error at line 2, column 33: unterminated quoted value: a closing " is missing',
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain('secret');

    const db = openDatabase(dir);
    try {
      const history = new SqliteMmlHistory(db);
      expect(history.recent(2).map((e) => e.id)).toEqual([2, 3]);
      expect(history.recent(10, 'alice').map((e) => e.command)).toEqual([
        'ADD USER USERNAME=1001 PASSWORD=*****',
      ]);
      expect(history.recent(10, 'nobody')).toEqual([]);
    } finally {
      closeDatabase(db);
    }
  });

  it('is pruned to the newest maxEntries', () => {
    const lab = openLab();
    const history = new SqliteMmlHistory(lab.db, { maxEntries: 30 });
    for (let i = 1; i <= 250; i++)
      history.append({ at: i, who: 'w', command: `C${i}`, retcode: 0, message: '' });
    const kept = lab.db.prepare('SELECT COUNT(*) AS n, MIN(id) AS low FROM mml_history').get();
    // Pruned at the 100th and 200th append; 50 more since.
    expect(kept).toEqual({ n: 80, low: 171 });
    expect(history.recent(3).map((e) => e.command)).toEqual(['C248', 'C249', 'C250']);
  });
});
