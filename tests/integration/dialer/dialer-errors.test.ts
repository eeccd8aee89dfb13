// What STR CALL says of a file it cannot use: a prompt not found is named with the folders looked in,
// the data folder's media/ (where prompts belong) first; a numbers file saved as UTF-16 is said to be
// so, not quoted as garbage; STR DIALSVC never changes the password of a user it is pointed at.
import { zhDialerReason } from '../../../core/dialer/reason-zh';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { renderText } from '../../../core/mml/text';
import { useDialerLab, type DialerLab } from './lab';

let lab: DialerLab;

useDialerLab((l) => (lab = l), { started: true });

describe('in 中文', () => {
  it('the dialer’s parameter errors and its states read in Chinese; file names stay', async () => {
    const zh = async (text: string): Promise<string> =>
      (await lab.a.mml.execute(text, 'test', { lang: 'zh' }))[0]!.message;
    writeFileSync(join(lab.dir, 'bad.csv'), '1001\nfoo bar\n');
    writeFileSync(join(lab.dir, 'bad.wav'), 'RIFFxxxxWAVEjunk');
    expect(await zh('STR CALL SINGLE CALLEE=1007 DURATION=0.01')).toBe(
      '参数 DURATION 错误: 0.01 秒短于一个 20 毫秒的包；至少应为 0.02，或 0 表示媒体文件播放一次',
    );
    expect(await zh('STR CALL BATCH FILE=bad.csv')).toBe(
      `参数 FILE 错误: ${join(lab.dir, 'bad.csv')} 第 2 行: "foo bar" 不是可拨打的号码`,
    );
    expect(await zh('STR CALL BATCH NUMBERS=1001-')).toBe(
      '参数 NUMBERS 错误: "1001-" 既不是号码也不是 a-b 形式的号段',
    );
    expect(await zh('STR CALL SINGLE CALLEE=1007 MEDIA_FILE=bad.wav')).toMatch(
      /^参数 MEDIA_FILE 错误: .*bad\.wav: 不是 WAV 文件（/,
    );
    // A file with no number is said to be so, of the file (RETCODE 8: its content).
    writeFileSync(join(lab.dir, 'empty.csv'), 'number\n# none yet\n');
    expect(await lab.mml('STR CALL BATCH FILE=empty.csv')).toMatchObject({
      retcode: RETCODE.INVALID_DATA,
      message: `Parameter FILE: ${join(lab.dir, 'empty.csv')} holds no number to call`,
    });
    expect(await zh('STR CALL BATCH FILE=empty.csv')).toBe(
      `参数 FILE 错误: ${join(lab.dir, 'empty.csv')} 中没有要呼叫的号码`,
    );
    // A numbers file that is not there is said as IMP USER says it, not as Node's ENOENT.
    expect(await lab.mml('STR CALL BATCH FILE=absent.csv')).toMatchObject({
      retcode: RETCODE.OPERATION_FAILED,
      message: `Cannot read FILE ${join(lab.dir, 'absent.csv')}: no such file`,
    });
    expect(await lab.mml('IMP USER FILE=absent.csv')).toMatchObject({
      retcode: RETCODE.OPERATION_FAILED,
      message: `Cannot read FILE ${join(lab.dir, 'absent.csv')}: no such file`,
    });
    expect(await zh('STR CALL BATCH FILE=absent.csv')).toBe(
      `无法读取文件 ${join(lab.dir, 'absent.csv')}: 文件不存在`,
    );
    const [dsp] = await lab.a.mml.execute('DSP DIALSVC', 'test', { lang: 'zh' });
    // The row is the same in every language (for scripts); the text says the state in Chinese.
    expect(dsp!.tables[0]!.rows[0]![0]).toBe('running');
    expect(renderText(dsp!)).toMatch(/状态 += +运行中\n/);
    // Stopped, a call is refused saying what to run, a sentence as every other answer is.
    expect((await lab.mml('STP DIALSVC')).retcode).toBe(0);
    expect(await lab.mml('STR CALL SINGLE CALLEE=1007')).toMatchObject({
      retcode: RETCODE.OPERATION_FAILED,
      message: 'The auto dialer is not started: run STR DIALSVC first',
    });
    expect(await zh('STR CALL SINGLE CALLEE=1007')).toBe('外呼服务未启动: 请先执行 STR DIALSVC');
  });
});

describe('STR CALL with more calls at once than RTP port pairs', () => {
  it('says how many run at once', async () => {
    const min = lab.a.settings.int('DIALER.RTP_PORT_MIN');
    expect((await lab.mml('STP DIALSVC')).retcode).toBe(0);
    expect((await lab.mml(`SET CFG KEY=DIALER.RTP_PORT_MAX VALUE=${min + 5}`)).retcode).toBe(0);
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    // Repeats in the list are called once and said to be left out (a range's among them too).
    const r = await lab.mml('STR CALL BATCH NUMBERS=1001-1010,1002,1003-1004 CONCURRENCY=10 DURATION=1');
    expect(r.retcode, r.message).toBe(0);
    expect(r.message).toMatch(/^Calling 10 numbers \(3 repeats left out\) in the background: campaign /);
    expect(r.message).toMatch(
      /\nNote: CONCURRENCY=10, but DIALER\.RTP_PORT_MIN\.\.DIALER\.RTP_PORT_MAX give 3 RTP port pairs: at most 3 calls at once$/,
    );
    expect((await lab.mml('STP CALL')).retcode).toBe(0);
    // The campaign's Note keeps saying so (DSP DIALSVC, the Dialer view), beside what ended it (F4 info).
    const id = /campaign (C\d+)/.exec(r.message)![1]!;
    const note = lab.a.dialer.campaign(id)!.note!;
    expect(note).toMatch(
      /^CONCURRENCY=10, but DIALER\.RTP_PORT_MIN\.\.DIALER\.RTP_PORT_MAX give 3 RTP port pairs: at most 3 calls at once; Stopped by /,
    );
    expect(zhDialerReason(note)).toMatch(
      /^CONCURRENCY=10，但 DIALER\.RTP_PORT_MIN\.\.DIALER\.RTP_PORT_MAX 只有 3 对 RTP 端口：同时最多 3 个呼叫；已由 /,
    );
  });
});

describe('STR CALL names what is wrong with its files', () => {
  it('a missing prompt: the folders looked in, the data folder first, and where prompts belong', async () => {
    const media = join(lab.dir, 'media');
    const r = await lab.mml('STR CALL SINGLE CALLEE=1002 MEDIA_FILE=media/nonexist.wav');
    expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
    const m =
      /^Parameter MEDIA_FILE: media\/nonexist\.wav: no such file in (.+); prompts belong in (.+)$/.exec(
        r.message,
      );
    expect(m, r.message).not.toBeNull();
    const folders = m![1]!.split(', ');
    expect(folders[0]).toBe(media);
    expect(folders).toContain(join(process.cwd(), 'media'));
    expect(m![2]).toBe(media);
    const [zh] = await lab.a.mml.execute(
      'STR CALL SINGLE CALLEE=1002 MEDIA_FILE=media/nonexist.wav',
      'test',
      {
        lang: 'zh',
      },
    );
    expect(zh!.message).toBe(
      `参数 MEDIA_FILE 错误: media/nonexist.wav: 文件不存在（依次查找了 ${m![1]}）；媒体文件应放在 ${media}`,
    );
    // A bare name is looked for in the data folder's media/ first.
    mkdirSync(media, { recursive: true });
    const bare = await lab.mml('STR CALL SINGLE CALLEE=1002 MEDIA_FILE=nonexist.wav');
    expect(bare.message).toMatch(/: no such file in ([^,]+), /);
    expect(/no such file in ([^,]+),/.exec(bare.message)![1]).toBe(media);
  });

  it('a numbers file outside the data folder: the hint is for a numbers file, not IMP USER’s', async () => {
    // Before, it said "(node core/server.js users import reads any file, on the server itself)": IMP
    // USER's way around the folder, which reads users, not numbers (findings F9).
    const r = await lab.mml('STR CALL BATCH FILE=/etc/hostname');
    expect(r).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message:
        `Parameter FILE: /etc/hostname is outside the data folder ${lab.dir}: put the file there ` +
        '(a relative FILE= is read from there: FILE=numbers.csv)',
    });
    const [zh] = await lab.a.mml.execute('STR CALL BATCH FILE=/etc/hostname', 'test', { lang: 'zh' });
    expect(zh!.message).toBe(
      `参数 FILE 错误: /etc/hostname 不在数据目录 ${lab.dir} 内: 请把文件放到那里（相对路径的 FILE= 从那里读取: FILE=numbers.csv）`,
    );
    // IMP USER keeps its own hint.
    expect((await lab.mml('IMP USER FILE=/etc/hostname')).message).toContain('users import reads any file');
  });

  it('a UTF-16 numbers file: said to be UTF-16, to be saved as UTF-8', async () => {
    const file = join(lab.dir, 'numbers.csv');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('number\r\n1002\r\n', 'utf16le')]),
    );
    const r = await lab.mml('STR CALL BATCH FILE=numbers.csv');
    expect(r.retcode).toBe(RETCODE.INVALID_DATA);
    expect(r.message).toBe(
      `Parameter FILE: ${file} is UTF-16 text (it starts with its byte order mark): a numbers file must be UTF-8 or ASCII text; save it as UTF-8`,
    );
    const [zh] = await lab.a.mml.execute('STR CALL BATCH FILE=numbers.csv', 'test', { lang: 'zh' });
    expect(zh!.message).toBe(
      `参数 FILE 错误: ${file} 是 UTF-16 文本（以其字节顺序标记开头）: 号码文件必须是 UTF-8 或 ASCII 文本，请另存为 UTF-8`,
    );
  });
});

describe("STR DIALSVC and another user's account", () => {
  it("never changes a user's password: it refuses, naming what to set, and uses the account with its own", async () => {
    expect((await lab.mml('STP DIALSVC')).retcode).toBe(0);
    const before = lab.a.users.credentials('1003')!.ha1.MD5;
    expect((await lab.mml('SET CFG KEY=DIALER.USERNAME VALUE=1003')).retcode).toBe(0);
    expect((await lab.mml('SET CFG KEY=DIALER.PASSWORD VALUE=NewPass-99')).retcode).toBe(0);
    const refused = await lab.mml('STR DIALSVC');
    expect(refused.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(refused.message).toMatch(/DIALER\.USERNAME 1003 is a user whose password is not DIALER\.PASSWORD/);
    const [zh] = await lab.a.mml.execute('STR DIALSVC', 'test', { lang: 'zh' });
    expect(zh!.message).toMatch(/^DIALER\.USERNAME 1003 是已有用户，其密码不是 DIALER\.PASSWORD/);
    // 1003's phones keep their password.
    expect(lab.a.users.credentials('1003')!.ha1.MD5).toBe(before);
    expect((await lab.mml('SET CFG KEY=DIALER.PASSWORD VALUE=pw-1003')).retcode).toBe(0);
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    expect(lab.a.users.credentials('1003')!.ha1.MD5).toBe(before);
  });
});
