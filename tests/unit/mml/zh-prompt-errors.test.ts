// Why the dialer cannot play a MEDIA_FILE, in Chinese, whatever the file is named: media/wav.ts names
// the file first ("<file>: not a WAV file (...)"), and a prompt.mp3 or a name without .wav must read
// as prompt.wav does (the file's name stays as it is).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav, PromptError, checkPrompt } from '../../../core/media/wav';
import { zhMessage } from '../../../core/mml/lang';

const dir = mkdtempSync(join(tmpdir(), 'ims-zh-prompt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The MML message of the PromptError `read` throws, in Chinese. */
function zhOf(read: () => unknown): string {
  try {
    read();
  } catch (err) {
    if (err instanceof PromptError) return zhMessage(`Parameter MEDIA_FILE: ${err.message}`);
    throw err;
  }
  throw new Error('no PromptError');
}

describe('MEDIA_FILE problems in Chinese', () => {
  it('translate why for any file name, keeping the name', () => {
    for (const name of ['junk.wav', 'prompt.mp3', 'prompt']) {
      const file = join(dir, name);
      writeFileSync(file, 'this is not audio');
      expect(zhOf(() => checkPrompt(file))).toMatch(
        new RegExp(`^参数 MEDIA_FILE 错误: ${file.replaceAll('.', '\\.')}: 不是 WAV 文件（.+）$`),
      );
    }
    const folder = join(dir, 'folder.mp3');
    mkdirSync(folder);
    expect(zhOf(() => checkPrompt(folder))).toBe(`参数 MEDIA_FILE 错误: ${folder}: 不是文件`);
    expect(zhOf(() => checkPrompt(join(dir, 'gone.ogg')))).toBe(
      `参数 MEDIA_FILE 错误: ${join(dir, 'gone.ogg')}: 文件不存在`,
    );
    expect(zhOf(() => decodeWav(new Uint8Array(4), '/data/media/x.au'))).toMatch(
      /^参数 MEDIA_FILE 错误: \/data\/media\/x\.au: 不是 WAV 文件/,
    );
  });

  it('translate the fmt chunk faults media/wav.ts names', () => {
    const zh = (english: string): string => zhMessage(`Parameter MEDIA_FILE: /data/media/x.wav: ${english}`);
    const only = 'is not supported (16-bit PCM, µ-law or A-law only)';
    expect(zh(`format 1 (PCM) with 0 bits per sample ${only}`)).toBe(
      '参数 MEDIA_FILE 错误: /data/media/x.wav: 不支持格式 1 (PCM)（每样本 0 位）；只支持 16 位 PCM、µ-law 或 A-law',
    );
    expect(
      zh(`format 65534 (WAVE_FORMAT_EXTENSIBLE) of format 85 (MPEG Layer 3) with 16 bits per sample ${only}`),
    ).toBe(
      '参数 MEDIA_FILE 错误: /data/media/x.wav: 不支持格式 65534 (WAVE_FORMAT_EXTENSIBLE) 的子格式 格式 85 (MPEG Layer 3)（每样本 16 位）；只支持 16 位 PCM、µ-law 或 A-law',
    );
    expect(zh('fmt chunk too short (0 bytes, a WAVE format takes 16)')).toBe(
      '参数 MEDIA_FILE 错误: /data/media/x.wav: fmt 块太短（0 字节；WAVE 格式需要 16 字节）',
    );
  });
});
