// One Chinese word per concept across the console (zh.ts here) and the MML answers (core/mml/zh*.ts):
// the original's words where it had them (已接听, 媒体文件), Huawei MML usage (缺省值, 取值范围). A view
// and the command it runs said 终端类型 / 用户代理, 已接通 / 已接听, 语音文件 / 媒体文件 / 提示音 ...
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZH_CELLS, ZH_WORDS } from '../../../core/mml/zh';
import { zh } from './zh';

const ROOT = path.resolve(__dirname, '../../..');
/** Every file that holds Chinese a reader sees: the console's catalogue and the MML answers'. */
const FILES = [
  'renderer/src/i18n/zh.ts',
  'renderer/src/views/cdr/fields.ts',
  'core/mml/zh.ts',
  'core/mml/zh-params.ts',
  'core/mml/zh-settings.ts',
  'core/mml/zh-cdr-reasons.ts',
  'core/dialer/reason-zh.ts',
];

/** The words dropped, each with the one kept. */
const DROPPED: Readonly<Record<string, string>> = {
  已接通: '已接听',
  终端类型: '用户代理',
  注册联系地址: '注册绑定数',
  全部注销: '清除所有注册',
  注销所有注册: '清除所有注册',
  已呼叫: '已发起',
  拨号后延迟: '接续时延',
  语音文件: '媒体文件',
  提示音: '媒体文件',
  默认值: '缺省值',
  可选值: '取值范围',
  全量: '完全',
  最大值: '最大',
  对话: '会话',
};

const GC = 'Garbage collection (the event loop held meanwhile; PERF.GC_HEADROOM_MB paces the full ones)';
const SIP_MESSAGES = ZH_CELLS['SIP messages by method or status code']!;

describe('Chinese terms', () => {
  it('uses none of the dropped words, in the console or in MML answers', () => {
    for (const file of FILES) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const [word, kept] of Object.entries(DROPPED))
        expect(text.includes(word), `${file} says ${word}, where the term is ${kept}`).toBe(false);
    }
  });

  it('gives a view the word of the MML answer it shows', () => {
    expect(zh['regs.userAgent']).toBe(ZH_WORDS['User agent']);
    expect(zh['calls.userAgents']).toBe(ZH_WORDS['User agent']);
    expect(zh['overview.bindings']).toBe(ZH_WORDS.Bindings);
    expect(zh['dialer.answered']).toBe(ZH_WORDS.Answered);
    expect(zh['dialer.live.answered']).toBe(zh['calls.state.answered']);
    expect(zh['dialer.placed']).toBe(ZH_WORDS.Placed);
    expect(zh['dialer.mediaFile']).toBe(ZH_WORDS['Media file']);
    expect(zh['cfg.default']).toBe(ZH_WORDS.Default);
    expect(zh['cfg.allowed']).toBe(ZH_WORDS.Allowed);
    expect(zh['trace.kind']).toBe(ZH_WORDS.Kind);
    expect([zh['trace.from'], zh['trace.to']]).toEqual([ZH_WORDS.From, ZH_WORDS.To]);
    expect([zh['perf.in'], zh['perf.out']]).toEqual([SIP_MESSAGES.in, SIP_MESSAGES.out]);
    expect([zh['perf.in'], zh['perf.out']]).toEqual([zh['perf.rx'], zh['perf.tx']]);
    expect(zh['perf.gcFull']).toBe(ZH_CELLS[GC]!.full);
    // CLR REG: one name on both buttons and in both questions.
    expect(zh['regs.removeAll']).toBe(zh['overview.clearRegs']);
    expect(zh['regs.removeAllConfirm']).toBe(zh['overview.clearRegsConfirm']);
  });
});
