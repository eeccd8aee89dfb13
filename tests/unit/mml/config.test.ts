import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, SETTINGS } from '../../../core/config/settings';
import type { SettingChange } from '../../../core/config/settings';
import { RETCODE } from '../../../core/mml/command';
import { IMS_VERSION } from '../../../core/version';
import { makeDir, NOW, openLab, run, useLabs } from './lab';

useLabs();

describe('DSP CFG', () => {
  it('shows every setting with its value, default, source and what is allowed', async () => {
    const dir = makeDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ 'REG.MIN_EXPIRES': 30 }));
    const lab = openLab(dir, loadSettings(dir, { SIP_PORT: '5070' }));
    const r = await run(lab, 'DSP CFG ALL');
    expect(r.retcode).toBe(0);
    expect(r.message).toBe('Operation succeeded');
    const table = r.tables[0]!;
    expect(table.columns.map((c) => c.name)).toEqual([
      'Key',
      'Value',
      'Default',
      'Source',
      'Type',
      'Allowed',
      'Restart',
      'Pending',
      'Description',
    ]);
    expect(table.rows.map((row) => row[0])).toEqual(SETTINGS.map((d) => d.key));
    const byKey = new Map(table.rows.map((row) => [row[0], row]));
    expect(byKey.get('SIP.PORT')).toEqual([
      'SIP.PORT',
      '5070',
      '5060',
      'env',
      'integer',
      '0..65535',
      true,
      false,
      'SIP port, UDP and TCP (0: a free port)',
    ]);
    expect(byKey.get('REG.MIN_EXPIRES')!.slice(0, 4)).toEqual(['REG.MIN_EXPIRES', '30', '60', 'file']);
    expect(byKey.get('LOG.LEVEL')!.slice(0, 6)).toEqual([
      'LOG.LEVEL',
      'INFO',
      'INFO',
      'default',
      'enum',
      'DEBUG, INFO, WARNING, ERROR',
    ]);
    expect(byKey.get('AUTH.ALGORITHMS')!.slice(1, 3)).toEqual(['MD5,SHA-256', 'MD5,SHA-256']);
    // A boolean in the words its Allowed column names, as SET CFG takes them.
    expect(byKey.get('SIP.TCP')!.slice(0, 6)).toEqual([
      'SIP.TCP',
      'YES',
      'YES',
      'default',
      'boolean',
      'YES, NO',
    ]);
  });

  it('writes a boolean change as YES or NO, whichever word set it', async () => {
    const lab = openLab();
    const r = await run(lab, 'SET CFG KEY=CDR.OPTIONS VALUE=false');
    expect(r.message).toMatch(/^CDR\.OPTIONS = NO \(was YES\)/);
    expect(lab.settings.get('CDR.OPTIONS')).toBe(false);
  });

  it('filters by category and by part of the key', async () => {
    const lab = openLab();
    const keys = async (text: string) => (await run(lab, text)).tables[0]!.rows.map((row) => row[0]);
    expect(await keys('DSP CFG CATEGORY=log')).toEqual(['LOG.LEVEL', 'LOG.KEEP_DAYS']);
    expect(await keys('DSP CFG KEY=expires')).toEqual([
      'REG.MIN_EXPIRES',
      'REG.MAX_EXPIRES',
      'REG.DEFAULT_EXPIRES',
    ]);
    expect(await keys('DSP CFG:CATEGORY=REG,KEY="MAX";')).toEqual(['REG.MAX_EXPIRES', 'REG.MAX_CONTACTS']);
    // The original's categories, as its 配置管理 form had them typed (reference §5.3).
    expect(await keys('DSP CFG CATEGORY=日志')).toEqual(['LOG.LEVEL', 'LOG.KEEP_DAYS']);
    expect(await keys('DSP CFG CATEGORY="SIP 核心" KEY=SERVER_IP')).toEqual([
      'SIP.SERVER_IP',
      'SIP.SERVER_IP6',
    ]);
    expect(await keys('DSP CFG CATEGORY=MML')).toEqual(['HTTP.HOST', 'HTTP.ALLOWED_HOSTS', 'HTTP.PORT']);
    expect((await run(lab, 'DSP CFG CATEGORY=会话统计')).retcode).toBe(RETCODE.PARAMETER_ERROR);
    const bad = await run(lab, 'DSP CFG CATEGORY=NOPE');
    expect(bad.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(bad.message).toMatch(
      /^Parameter CATEGORY: expected one of SIP, AUTH, REG, TIMER, .*LOG.*HTTP.*, got "NOPE"$/,
    );
  });
});

describe('SET CFG', () => {
  it('validates through Settings, changes the running value, tells listeners and says it is not saved', async () => {
    const lab = openLab();
    const changes: SettingChange[] = [];
    lab.settings.onChange((c) => changes.push(c));
    const r = await run(lab, 'SET CFG KEY=reg.min_expires VALUE=30');
    expect(r).toMatchObject({
      retcode: 0,
      message: 'REG.MIN_EXPIRES = 30 (was 60); not saved yet: SAVE CFG writes it to config.json',
      restartNeeded: false,
    });
    expect(r.tables[0]!.rows).toEqual([['REG.MIN_EXPIRES', '30', '60', false]]);
    expect(lab.settings.int('REG.MIN_EXPIRES')).toBe(30);
    expect(changes).toEqual([{ key: 'REG.MIN_EXPIRES', value: 30, previous: 60, restart: false }]);
    const shown = await run(lab, 'DSP CFG KEY=REG.MIN');
    expect(shown.message).toBe('Not saved: REG.MIN_EXPIRES (SAVE CFG writes config.json)');
    expect(shown.tables[0]!.rows[0]!.slice(0, 4)).toEqual(['REG.MIN_EXPIRES', '30', '60', 'mml']);
  });

  it('IF_VALUE=: refuses a change based on a value another operator changed since, nothing changed', async () => {
    const lab = openLab();
    // Two consoles opened PROXY.TIMER_C at 180; A saves 90 first.
    expect((await run(lab, 'SET CFG KEY=PROXY.TIMER_C VALUE=90 IF_VALUE=180')).retcode).toBe(0);
    const late = await run(lab, 'SET CFG KEY=PROXY.TIMER_C VALUE=240 IF_VALUE=180');
    expect(late).toMatchObject({
      retcode: RETCODE.OPERATION_FAILED,
      message:
        'PROXY.TIMER_C was changed since it was 180 (now 90): nothing changed; read it again (DSP CFG KEY=PROXY.TIMER_C)',
    });
    expect(lab.settings.int('PROXY.TIMER_C')).toBe(90);
    const [zh] = await lab.engine.execute('SET CFG KEY=PROXY.TIMER_C VALUE=240 IF_VALUE=180', 'tester', {
      lang: 'zh',
    });
    expect(zh!.message).toBe(
      '配置项 PROXY.TIMER_C 在读取时为 180，之后已被修改（当前为 90）：未作修改；请重新读取（DSP CFG KEY=PROXY.TIMER_C）',
    );
    // Compared as the setting reads it (yes is YES, " 90 " is 90); an empty value read is said as "".
    expect((await run(lab, 'SET CFG KEY=PROXY.TIMER_C VALUE=240 IF_VALUE=" 90 "')).retcode).toBe(0);
    expect((await run(lab, 'SET CFG KEY=AUTH.REGISTER VALUE=NO IF_VALUE=yes')).retcode).toBe(0);
    expect(
      (await run(lab, 'SET CFG KEY=TRACE.HEP_COLLECTOR VALUE=10.0.0.1:9060 IF_VALUE=x')).message,
    ).toContain('since it was x (now "")');
    // Without IF_VALUE=, SET CFG is as it was: the last one wins.
    expect((await run(lab, 'SET CFG KEY=PROXY.TIMER_C VALUE=60')).retcode).toBe(0);
  });

  it('IF_TLS_KEY=: the TLS pair is refused when its key file was changed since it was read, nothing changed', async () => {
    const lab = openLab();
    lab.settings.set('SIP.TLS_CERT', 'a.crt');
    lab.settings.set('SIP.TLS_KEY', 'b.key');
    // Another operator put a new key beside the same certificate after the pair dialog read b.key.
    const pair = 'SET CFG KEY=SIP.TLS_CERT VALUE="c.crt" TLS_KEY="c.key" IF_VALUE="a.crt" IF_TLS_KEY="b.key"';
    lab.settings.set('SIP.TLS_KEY', 'other.key');
    expect(await run(lab, pair)).toMatchObject({
      retcode: RETCODE.OPERATION_FAILED,
      message:
        'SIP.TLS_KEY was changed since it was b.key (now other.key): nothing changed; read it again (DSP CFG KEY=SIP.TLS_KEY)',
    });
    expect([lab.settings.get('SIP.TLS_CERT'), lab.settings.get('SIP.TLS_KEY')]).toEqual([
      'a.crt',
      'other.key',
    ]);
    // Read as it is now: past the guard, on to the files' own check.
    const current = pair.replace('IF_TLS_KEY="b.key"', 'IF_TLS_KEY="other.key"');
    expect((await run(lab, current)).message).toMatch(/^Parameter VALUE: SIP\.TLS_CERT cannot be applied/);
  });

  it('set to the value in force: nothing to save, nothing waiting for the next STR DIALSVC (README)', async () => {
    const lab = openLab();
    const rate = lab.settings.int('DIALER.RATE');
    expect(await run(lab, `SET CFG KEY=DIALER.RATE VALUE=${rate}`)).toMatchObject({
      retcode: 0,
      message: `DIALER.RATE = ${rate} (was ${rate})`,
    });
    const port = lab.settings.int('DIALER.LOCAL_PORT');
    expect(await run(lab, `SET CFG KEY=DIALER.LOCAL_PORT VALUE=${port}`)).toMatchObject({
      retcode: 0,
      message: `DIALER.LOCAL_PORT = ${port} (was ${port})`,
    });
    // A change waits for the next start and is not saved; set back, neither.
    expect((await run(lab, `SET CFG KEY=DIALER.LOCAL_PORT VALUE=${port + 2}`)).message).toBe(
      `DIALER.LOCAL_PORT = ${port + 2} (was ${port}); it takes effect at the next STR DIALSVC; ` +
        'not saved yet: SAVE CFG writes it to config.json',
    );
    expect((await run(lab, `SET CFG KEY=DIALER.LOCAL_PORT VALUE=${port}`)).message).toBe(
      `DIALER.LOCAL_PORT = ${port} (was ${port + 2}); it takes effect at the next STR DIALSVC`,
    );
    expect(lab.settings.unsaved()).toEqual([]);
  });

  it("sets the log level when KEY is left out, as the original's SET CFG VALUE=... did", async () => {
    const lab = openLab();
    expect(await run(lab, 'SET CFG VALUE=debug')).toMatchObject({ retcode: 0 });
    expect(lab.settings.str('LOG.LEVEL')).toBe('DEBUG');
  });

  it('says when a restart is needed and when the environment overrides the file', async () => {
    const dir = makeDir();
    const lab = openLab(dir, loadSettings(dir, { SIP_PORT: '5070' }));
    const r = await run(lab, 'SET CFG KEY=SIP.PORT VALUE=6000');
    // No restart brings 6000 in: SIP_PORT's 5070 is what every start takes (it said "it takes effect after
    // a restart" and DSP CFG "Waiting for a restart", and the console's banner asked for one).
    expect(r.restartNeeded).toBe(false);
    expect(r.message).toBe(
      'SIP.PORT = 6000 (was 5070); not saved yet: SAVE CFG writes it to config.json; ' +
        'the environment variable SIP_PORT sets it at start-up and wins over config.json',
    );
    expect((await run(lab, 'DSP CFG KEY=SIP.PORT')).message).toBe(
      'Not saved: SIP.PORT (SAVE CFG writes config.json)\n' +
        'The environment wins at every start over: SIP.PORT (SIP_PORT)',
    );
    // Back to the port it runs on: nothing waits for a restart, and the answer does not say one is needed.
    const back = await run(lab, 'SET CFG KEY=SIP.PORT VALUE=5070');
    expect(back.restartNeeded).toBe(false);
    expect(back.message).not.toContain('restart');
    expect((await run(lab, 'DSP CFG KEY=SIP.PORT')).message).not.toContain('Waiting for a restart');
    expect((await run(lab, 'SET CFG KEY=SIP.PORT VALUE=5070')).restartNeeded).toBe(false);
  });

  it('says what a change applies to when not to everything at once (a call up keeps its maximum)', async () => {
    const lab = openLab();
    const r = await run(lab, 'SET CFG KEY=CALL.MAX_DURATION VALUE=10');
    expect(r.message).toBe(
      'CALL.MAX_DURATION = 10 (was 14400); it applies to calls answered from now on (a call up keeps the ' +
        'maximum it was answered with); not saved yet: SAVE CFG writes it to config.json',
    );
    const [zh] = await lab.engine.execute('SET CFG KEY=CALL.MAX_DURATION VALUE=20', 'tester', { lang: 'zh' });
    expect(zh!.message).toContain('对此后接听的呼叫生效');
  });

  it('changes the log level at once, like SET LOG', async () => {
    const lab = openLab();
    await run(lab, 'SET CFG KEY=LOG.LEVEL VALUE=debug');
    expect(lab.logger.level).toBe('DEBUG');
    expect(lab.settings.str('LOG.LEVEL')).toBe('DEBUG');
  });

  it.each([
    [
      'SET CFG KEY=REG.MIN_EXPIRES VALUE=0',
      'Parameter VALUE: REG.MIN_EXPIRES must be a whole number of seconds from 1 to 3600 (got "0")',
    ],
    [
      'SET CFG KEY=LOG.LEVEL VALUE=CRITICAL',
      'Parameter VALUE: LOG.LEVEL must be one of DEBUG, INFO, WARNING, ERROR (got "CRITICAL")',
    ],
    [
      'SET CFG KEY=LOG.LEVEL',
      'Missing parameter VALUE (The new value, checked against the setting) required by SET CFG',
    ],
  ])('%s → PARAMETER_ERROR', async (text, message) => {
    const lab = openLab();
    expect(await run(lab, text)).toMatchObject({ retcode: RETCODE.PARAMETER_ERROR, message });
    expect(lab.settings.unsaved()).toEqual([]);
  });

  it('never shows DIALER.PASSWORD: not in its answer, its echo (history, log), nor in DSP CFG', async () => {
    const lab = openLab();
    const r = await run(lab, 'SET CFG KEY=dialer.password VALUE=secret99');
    expect(r.retcode).toBe(0);
    expect(lab.settings.str('DIALER.PASSWORD')).toBe('secret99');
    expect(r.command).toBe('SET CFG KEY=dialer.password VALUE=*****');
    expect(r.message).toMatch(/^DIALER\.PASSWORD = \*\*\*\*\* \(was \*\*\*\*\*\)/);
    expect(JSON.stringify(r.tables)).not.toContain('secret99');
    const shown = await run(lab, 'DSP CFG KEY=DIALER.PASSWORD');
    expect(JSON.stringify(shown.tables)).not.toContain('secret99');
    // Its default is no secret (the original's well-known 0000, the same on every install): shown, so
    // that the operator learns the dialer's account has it until DIALER.PASSWORD is set.
    expect(shown.tables[0]!.rows[0]!.slice(0, 3)).toEqual(['DIALER.PASSWORD', '*****', '0000']);
    expect(JSON.stringify(await run(lab, 'DSP HISTORY'))).not.toContain('secret99');
  });

  it('shows an empty secret empty, so that the operator can tell none is set; a set one masked', async () => {
    const lab = openLab();
    const unset = await run(lab, 'DSP CFG KEY=TRACE.HEP_AUTH_KEY');
    expect(unset.tables[0]!.rows[0]!.slice(0, 2)).toEqual(['TRACE.HEP_AUTH_KEY', '']);
    const set = await run(lab, 'SET CFG KEY=TRACE.HEP_AUTH_KEY VALUE=hepKey7');
    expect(set.message).toMatch(/^TRACE\.HEP_AUTH_KEY = \*\*\*\*\* \(was \);/);
    const shown = await run(lab, 'DSP CFG KEY=TRACE.HEP_AUTH_KEY');
    expect(shown.tables[0]!.rows[0]!.slice(0, 2)).toEqual(['TRACE.HEP_AUTH_KEY', '*****']);
    expect(JSON.stringify([set, shown])).not.toContain('hepKey7');
  });

  it.each([
    'SET CFG KEY=DIALER.PASSWORD VALUE=Again21secret EXTRA',
    'SET CFG KEY=DIALER.PASSWORD VALUE=x VALUE=Again21secret',
    'SET CFG:KEY="DIALER.PASSWORD",VALUE="Again21secret" x;',
    'SET CFG KEY=DIALER.PASSWORD VALUE="Again21secret',
    // The Huawei form's comma without its colon: VALUE= is inside KEY's value.
    'SET CFG KEY=DIALER.PASSWORD,VALUE=Again21secret',
    'SET CFG KEY=TRACE.HEP_AUTH_KEY,VALUE=Again21secret',
    'SET CFG KEY=dialer.password, value=Again21secret',
    // A key the answer takes for a secret one ("did you mean DIALER.PASSWORD?"), or saying key/password.
    'SET CFG KEY=DIALER.PASWORD VALUE=Again21secret',
    'SET CFG KEY=DIALER.PASWORD,VALUE=Again21secret',
    'SET CFG KEY=TRACE.HEP_AUTHKEY VALUE=Again21secret',
    'SET CFG KEY=TRACE.HEP_KEY VALUE=Again21secret',
    'SET CFG KEY=HEP_AUTH_KEY VALUE=Again21secret',
    'SET CFG KEY=DIALER.PW VALUE=Again21secret',
    // No space after the quote: KEY= still found in the statement that does not parse.
    'SET CFG VALUE="Again21secret"KEY=DIALER.PASSWORD',
    'SET CFG VALUE="Again21secret"KEY=TRACE.HEP_AUTH_KEY',
  ])('masks the secret setting of a statement that does not run: %s', async (text) => {
    const lab = openLab();
    const r = await run(lab, text);
    expect(r.retcode).not.toBe(0);
    expect(r.command).toContain('*****');
    expect(JSON.stringify(r)).not.toContain('Again21secret');
    expect(JSON.stringify(await run(lab, 'DSP HISTORY'))).not.toContain('Again21secret');
    expect(JSON.stringify(lab.logger.recent(50))).not.toContain('Again21secret');
  });

  // A typo of a setting that is no secret: its value stays in the echo, to be seen and corrected.
  it.each([
    ['SET CFG KEY=LOG.LEVL VALUE=DEBUG', 'VALUE=DEBUG'],
    ['SET CFG KEY=SIP.TLS_KEYS VALUE=/etc/ims/key.pem', 'VALUE=/etc/ims/key.pem'],
  ])('shows the value for a typo of a setting that is no secret: %s', async (text, shown) => {
    const lab = openLab();
    const r = await run(lab, text);
    expect(r.retcode).not.toBe(0);
    expect(r.command).toContain(shown);
  });

  // A password parameter mistyped, or run into another value: refused, and masked all the same.
  it.each([
    ['ADD USER USERNAME=2012 PASSWD=LeakA1', 'LeakA1'],
    ['ADD USER USERNAME=2013 PWD=LeakC3', 'LeakC3'],
    ['MOD USER USERNAME=1001 NEWPASSWORD=LeakD4', 'LeakD4'],
    ['SET CFG KEY=DIALER.PASSWD VALUE=LeakE5', 'LeakE5'],
    ['ADD USER USERNAME=2008,PASSWORD=LeakF6', 'LeakF6'],
    ['ADD USER:USERNAME=bob13,PASSWORD:LeakS1xyz', 'LeakS1xyz'],
    ['SET CFG KEY=DIALER.PASSWORD VALUE:LeakG7', 'LeakG7'],
  ])('masks a mistyped secret: %s', async (text, secret) => {
    const lab = openLab();
    const r = await run(lab, text);
    expect(r.retcode).not.toBe(0);
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(JSON.stringify(await run(lab, 'DSP HISTORY'))).not.toContain(secret);
    expect(JSON.stringify(lab.logger.recent(50))).not.toContain(secret);
  });

  // A password with a space or a ';' left unquoted: no piece of it in the answer, the history or the log.
  it.each([
    ['ADD USER USERNAME=8004 PASSWORD=my secretword', 'secretword', 'ADD USER USERNAME=8004 PASSWORD=*****'],
    ['ADD USER:USERNAME=8003,PASSWORD=Sec,ret99;', 'ret99', 'ADD USER:USERNAME=8003,PASSWORD=*****'],
    ['ADD USER USERNAME=3001 PASSWORD=ab;cdsecret junk', 'cdsecret', 'ADD USER USERNAME=3001 PASSWORD=*****'],
    [
      'SET CFG KEY=DIALER.PASSWORD VALUE=dial passphrase',
      'passphrase',
      'SET CFG KEY=DIALER.PASSWORD VALUE=*****',
    ],
    ['ADD USER PASSWORD=two words USERNAME=8005', 'words', 'ADD USER PASSWORD=***** USERNAME=8005'],
    // Text after the closing quote: the quoted part was masked, the rest shown (and quoted in the error).
    ['ADD USER USERNAME=8001 PASSWORD="a""bsecret"', 'bsecret', 'ADD USER USERNAME=8001 PASSWORD=*****'],
    ['SET CFG KEY=DIALER.PASSWORD VALUE="abc"defgh', 'defgh', 'SET CFG KEY=DIALER.PASSWORD VALUE=*****'],
    ['ADD USER USERNAME=8002 PASSWORD="x"yzzy', 'yzzy', 'ADD USER USERNAME=8002 PASSWORD=*****'],
  ])('masks the whole of an unquoted password that broke the statement: %s', async (text, piece, command) => {
    const lab = openLab();
    const r = await run(lab, text);
    expect(r.retcode).not.toBe(0);
    expect(r.command).toBe(command);
    expect(JSON.stringify(r).toLowerCase()).not.toContain(piece.toLowerCase());
    expect(JSON.stringify(await run(lab, 'DSP HISTORY')).toLowerCase()).not.toContain(piece.toLowerCase());
    expect(JSON.stringify(lab.logger.recent(50)).toLowerCase()).not.toContain(piece.toLowerCase());
  });

  // Lines joined into one (a paste into a one-line input): the masked value ends before the next
  // command, whose verb and words stay in the echo, and the error names the word it stumbled on.
  it.each([
    [
      'ADD USER USERNAME=7771 PASSWORD=Joined1a ADD USER USERNAME=7772 PASSWORD=Joined2b DSP USER PREFIX=777',
      'ADD USER USERNAME=7771 PASSWORD=***** ADD USER USERNAME=7772 PASSWORD=***** DSP USER PREFIX=777',
      'unexpected word "ADD"',
    ],
    [
      'add user:username=7771,password="Joined 1a" dsp user:prefix=777',
      'add user:username=7771,password=***** dsp user:prefix=777',
      'expected "," between parameters',
    ],
    [
      'SET CFG KEY=DIALER.PASSWORD VALUE=Joined1a DSP CFG KEY=DIALER.PASSWORD',
      'SET CFG KEY=DIALER.PASSWORD VALUE=***** DSP CFG KEY=DIALER.PASSWORD',
      'unexpected word "DSP"',
    ],
  ])('masks only the secret, not the commands after it: %s', async (text, command, reason) => {
    const lab = openLab();
    const r = await run(lab, text);
    expect(r.retcode).toBe(RETCODE.SYNTAX_ERROR);
    expect(r.command).toBe(command);
    expect(r.message).toContain(reason);
    for (const out of [r, await run(lab, 'DSP HISTORY'), lab.logger.recent(50)]) {
      expect(JSON.stringify(out)).not.toMatch(/Joined/i);
    }
  });

  it('says in Chinese what a listen address, a host list and a user name must be', async () => {
    const lab = openLab();
    const zh = async (text: string): Promise<string> =>
      (await lab.engine.execute(text, 'tester', { lang: 'zh' }))[0]!.message;
    expect(await zh('SET CFG KEY=SIP.HOST VALUE=999.1.1.1')).toBe(
      '参数 VALUE 错误: SIP.HOST 应为本机的 IP 地址（IPv4 或 IPv6），或 0.0.0.0、:: 表示全部，实际为 "999.1.1.1"',
    );
    expect(await zh('SET CFG KEY=SIP.DOMAINS VALUE="ims.lab,bad_domain!"')).toMatch(
      /应为逗号分隔的列表，每项为主机名（如 ims\.lab）/,
    );
    expect(await zh('SET CFG KEY=DIALER.USERNAME VALUE="bad user"')).toMatch(/应为用户名：1\.\.64 个字符/);
  });

  it("takes the original's names and the environment variables' for a key, and says what it is called here", async () => {
    const lab = openLab();
    const set = await run(lab, 'SET CFG KEY=LOG_LEVEL VALUE=DEBUG');
    expect(set.retcode).toBe(0);
    expect(set.message).toMatch(/^LOG\.LEVEL = DEBUG \(was /);
    const port = await run(lab, 'DSP CFG KEY=SIP.SERVER_PORT');
    expect(port.retcode).toBe(0);
    expect(port.message).toContain('SIP.SERVER_PORT is called SIP.PORT here');
    expect(port.tables[0]!.rows.map((r) => r[0])).toEqual(['SIP.PORT']);
    const http = await run(lab, 'DSP CFG KEY=MML.HTTP_PORT');
    expect(http.tables[0]!.rows.map((r) => r[0])).toEqual(['HTTP.PORT']);
    expect(await run(lab, 'DSP CFG KEY=NO_SUCH_THING')).toMatchObject({
      retcode: RETCODE.NOT_FOUND,
      message: 'No setting matches NO_SUCH_THING (DSP CFG lists them all)',
    });
    const [zh] = await lab.engine.execute('DSP CFG KEY=SIP.SERVER_PORT', 'tester', { lang: 'zh' });
    expect(zh!.message).toContain('SIP.SERVER_PORT 在此称为 SIP.PORT');
  });

  it("says where the original's read-only DSP CFG values are now (SESSION.*, LOG.FILE, CDR.BASE_DIR...)", async () => {
    const lab = openLab();
    expect(await run(lab, 'DSP CFG KEY=SESSION.ACTIVE_CALLS')).toMatchObject({
      retcode: RETCODE.NOT_FOUND,
      message: 'SESSION.ACTIVE_CALLS is no setting here: live counts are in DSP SRVSTAT',
    });
    expect((await run(lab, 'DSP CFG KEY=cdr.base_dir')).message).toBe(
      'CDR.BASE_DIR is no setting here: CDR files are CDR/YYYY-MM-DD/cdr_YYYY-MM-DD.csv in the data folder (DSP SYSINFO)',
    );
    const [zh] = await lab.engine.execute('DSP CFG KEY=USER.DATA_FILE', 'tester', { lang: 'zh' });
    expect(zh!.message).toBe('USER.DATA_FILE 在此不是配置项：用户保存在数据库中（DSP USER、IMP USER）');
  });

  it('names an unknown key and suggests the closest', async () => {
    const r = await run(openLab(), 'SET CFG KEY=LOG.LEVL VALUE=INFO');
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    // Not all 71 keys: the closest, and where to see them all; in Chinese too.
    expect(r.message).toBe(
      'Parameter KEY: no setting LOG.LEVL (did you mean LOG.LEVEL?): DSP CFG lists them all',
    );
    const lab = openLab();
    const [zh] = await lab.engine.execute('SET CFG KEY=LOG.LEVL VALUE=INFO', 'tester', { lang: 'zh' });
    expect(zh!.message).toBe(
      '参数 KEY 错误: 没有配置项 LOG.LEVL（是否要找 LOG.LEVEL？）：DSP CFG 列出全部配置项',
    );
    // An original's key with no counterpart says where its value is now.
    expect((await run(lab, 'SET CFG KEY=MAX_FORWARDS VALUE=70')).message).toMatch(
      /^Parameter KEY: MAX_FORWARDS is no setting here: a request keeps its Max-Forwards less one at each hop/,
    );
    expect((await run(lab, 'DSP CFG KEY=SIP.ALLOW')).message).toMatch(/^SIP\.ALLOW is no setting here: /);
    const [allow] = await lab.engine.execute('DSP CFG KEY=SIP.ALLOW', 'tester', { lang: 'zh' });
    expect(allow!.message).toBe(
      'SIP.ALLOW 在此不是配置项：支持的方法见 IMS Lab 对 OPTIONS 应答中的 Allow 头',
    );
    // Its DSP SYSCFG's REGISTRATION_EXPIRES is the expiry given to a registration that asks for none.
    const expires = await run(lab, 'DSP CFG KEY=REGISTRATION_EXPIRES');
    expect(expires.tables[0]!.rows.map((row) => row[0])).toEqual(['REG.DEFAULT_EXPIRES']);
  });

  it('keeps the old value when a listener cannot apply the change', async () => {
    const lab = openLab();
    lab.settings.onChange(() => {
      throw new Error('realm busy');
    });
    expect(await run(lab, 'SET CFG KEY=AUTH.REALM VALUE=lab.example')).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message: 'Parameter VALUE: AUTH.REALM cannot be applied: realm busy',
    });
    expect(lab.settings.str('AUTH.REALM')).toBe('ims.lab');
  });
});

describe('SAVE CFG', () => {
  it('writes the run-time changes into config.json, keeping its other entries, and they load again', async () => {
    const dir = makeDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ 'reg.min_expires': 30, 'TIMER.T1': 400 }));
    const lab = openLab(dir, loadSettings(dir, {}));
    expect(await run(lab, 'SAVE CFG')).toMatchObject({
      retcode: 0,
      message: 'Nothing to save: no setting changed since the last save',
    });
    const set = await lab.engine.execute(
      'SET CFG KEY=REG.MIN_EXPIRES VALUE=45\nSET LOG LEVEL=WARNING',
      'alice',
    );
    expect(set.map((r) => r.retcode)).toEqual([0, 0]);
    expect(await run(lab, 'SAVE CFG')).toMatchObject({
      retcode: 0,
      message: `Saved REG.MIN_EXPIRES, LOG.LEVEL to ${join(dir, 'config.json')}`,
    });
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({
      'TIMER.T1': 400,
      'REG.MIN_EXPIRES': 45,
      'LOG.LEVEL': 'WARNING',
    });
    expect(lab.settings.unsaved()).toEqual([]);
    const again = loadSettings(dir, {});
    expect([again.int('REG.MIN_EXPIRES'), again.str('LOG.LEVEL'), again.int('TIMER.T1')]).toEqual([
      45,
      'WARNING',
      400,
    ]);
  });

  it('leaves a broken config.json alone and says why', async () => {
    const dir = makeDir();
    const lab = openLab(dir);
    await run(lab, 'SET CFG KEY=TIMER.T1 VALUE=250');
    writeFileSync(join(dir, 'config.json'), '{ broken');
    const r = await run(lab, 'SAVE CFG');
    expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(r.message).toMatch(
      /^Configuration not saved: .*config\.json: not valid JSON \(.*\); not overwritten$/,
    );
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{ broken');
    expect(lab.settings.unsaved()).toEqual(['TIMER.T1']);
  });

  // It said "Saved" and kept a hand edit the next start refused (exit 2 on an unattended restart).
  it.each([
    [
      { 'LOG.LEVEL': 'BOGUS' },
      'config.json LOG.LEVEL: must be one of DEBUG, INFO, WARNING, ERROR (got "BOGUS")',
    ],
    [{ 'FOO.BAR': 1 }, 'config.json FOO.BAR: unknown setting'],
    [{ LOG_LEVEL: 'DEBUG' }, 'config.json LOG_LEVEL: unknown setting: write LOG.LEVEL instead'],
    [
      { 'REG.MAX_EXPIRES': 100 },
      'config.json REG.MAX_EXPIRES: must be at least REG.DEFAULT_EXPIRES (3600, its default: change both, or set REG.DEFAULT_EXPIRES in config.json too), got 100',
    ],
    [
      { 'LOG.LEVEL': 'BOGUS', 'FOO.BAR': 1 },
      'config.json: 2 settings to fix: LOG.LEVEL: must be one of DEBUG, INFO, WARNING, ERROR (got "BOGUS"); FOO.BAR: unknown setting',
    ],
  ])(
    'refuses to keep in config.json what the next start would refuse (%j), the file unchanged',
    async (hand, why) => {
      const dir = makeDir();
      const lab = openLab(dir, loadSettings(dir, {}));
      await run(lab, 'SET CFG KEY=TIMER.T1 VALUE=450');
      const file = join(dir, 'config.json');
      const text = JSON.stringify(hand);
      writeFileSync(file, text);
      const r = await run(lab, 'SAVE CFG');
      expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
      expect(r.message).toContain(why);
      expect(r.message).toContain(
        `the next start would refuse it, so ${file} was not overwritten: correct or remove it there`,
      );
      expect(readFileSync(file, 'utf8')).toBe(text);
      expect(lab.settings.unsaved()).toEqual(['TIMER.T1']);
    },
  );

  it('saves over a bad hand edit of the key being saved', async () => {
    const dir = makeDir();
    const lab = openLab(dir, loadSettings(dir, {}));
    await run(lab, 'SET CFG KEY=LOG.LEVEL VALUE=DEBUG');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ 'log.level': 'BOGUS' }));
    expect((await run(lab, 'SAVE CFG')).retcode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ 'LOG.LEVEL': 'DEBUG' });
  });
});

describe('EXP CFG', () => {
  it('writes every setting by category to exports/, a new file each time', async () => {
    const lab = openLab();
    const stamp = '20251101_093000';
    const first = await run(lab, 'EXP CFG', 'alice');
    const file = join(lab.dir, 'exports', `config_export_${stamp}.json`);
    expect(first.message).toBe(`Configuration exported to ${file}`);
    const categories = new Set(SETTINGS.map((d) => d.key.split('.')[0]));
    expect(first.tables[0]!.rows).toEqual([[file, SETTINGS.length, categories.size]]);
    const content = JSON.parse(readFileSync(file, 'utf8'));
    expect(content).toMatchObject({ export_by: 'alice', config_version: '1.0', ims_version: IMS_VERSION });
    expect(content.export_time).toMatch(/^2025-11-01T09:30:00\.000[+-]\d\d:\d\d$/);
    expect(content.categories.LOG).toEqual([
      {
        key: 'LOG.LEVEL',
        value: 'INFO',
        default: 'INFO',
        source: 'default',
        type: 'enum',
        description: 'Log level',
        editable: true,
        note: '',
        restart: false,
      },
      {
        key: 'LOG.KEEP_DAYS',
        value: 0,
        default: 0,
        source: 'default',
        type: 'integer',
        description:
          'Days of logs/ kept: day folders older are removed at start and after midnight, logged (0: keep all, as the original; CDR/ is never removed)',
        editable: true,
        note: '',
        restart: false,
      },
    ]);
    expect(Object.values(content.categories).flat()).toHaveLength(SETTINGS.length);
    // A password is never written out, as DSP CFG never shows it; its default (0000) is no secret.
    const password = content.categories.DIALER.find((e: { key: string }) => e.key === 'DIALER.PASSWORD');
    expect(password).toMatchObject({ value: '*****', default: '0000' });

    const second = await run(lab, 'EXP CFG');
    expect(second.message).toBe(
      `Configuration exported to ${join(lab.dir, 'exports', `config_export_${stamp}_2.json`)}`,
    );
    expect(readdirSync(join(lab.dir, 'exports')).sort()).toEqual([
      `config_export_${stamp}.json`,
      `config_export_${stamp}_2.json`,
    ]);
    expect(lab.clock.now).toBe(NOW);
    expect((await run(lab, 'EXP CFG FORMAT=CSV')).message).toBe(
      'Unknown parameter FORMAT for EXP CFG; it takes no parameters',
    );
    expect(existsSync(join(lab.dir, 'config.json'))).toBe(false);
  });
});
