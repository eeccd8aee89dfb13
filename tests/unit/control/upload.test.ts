// The console's prompt upload over a real (not started) appliance: a WAV that decodes is saved in the
// data folder's media/ and offered in the dialer snapshot; a file that is not a usable WAV, a name with
// a folder in it or data that is not base64 is refused naming the fault, and nothing is written.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';
import { ControlSession } from '../../../core/control/control';
import type { SnapshotResults } from '../../../core/control/contract';
import { encodeWav } from '../../../core/media/wav';

let dataDir: string;
let appliance: Appliance;
let s: ControlSession;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ims-upload-'));
  appliance = new Appliance({
    dataDir,
    // The checkout, as the installed app (its media/default.wav).
    appDirs: [join(__dirname, '..', '..', '..')],
    console: false,
    settings: new Settings([['LOG.LEVEL', 'INFO']]),
  });
  s = new ControlSession(appliance, 'test', () => undefined);
});

afterEach(async () => {
  await appliance.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const tone = (seconds: number): Buffer => {
  const samples = new Int16Array(8000 * seconds).map((_, i) => Math.round(8000 * Math.sin(i / 4)));
  return encodeWav(samples);
};

describe('upload', () => {
  it('saves a WAV that decodes under media/ and the dialer snapshot offers it', async () => {
    const bytes = tone(1.5);
    const r = await s.handle({ op: 'upload', name: 'ivr-test.wav', data: bytes.toString('base64') });
    expect(r).toEqual({
      ok: true,
      result: { file: 'media/ivr-test.wav', source: 'PCM 16-bit 8000 Hz mono', seconds: 1.5 },
    });
    expect(readFileSync(join(dataDir, 'media', 'ivr-test.wav')).equals(bytes)).toBe(true);
    expect(readdirSync(join(dataDir, 'media'))).toEqual(['ivr-test.wav']); // no part file left
    const snap = (await s.handle({ op: 'snapshot', name: 'dialer' })) as {
      ok: true;
      result: SnapshotResults['dialer'];
    };
    expect(snap.result.mediaFiles).toContain('media/ivr-test.wav');
    expect(appliance.dialer.resolveMedia('media/ivr-test.wav')).toBe(join(dataDir, 'media', 'ivr-test.wav'));
  });

  it('keeps a name in any script: 提示.wav is saved and resolved so', async () => {
    const r = await s.handle({ op: 'upload', name: '提示.wav', data: tone(0.2).toString('base64') });
    expect(r).toMatchObject({ ok: true, result: { file: 'media/提示.wav' } });
    expect(appliance.dialer.resolveMedia('media/提示.wav')).toBe(join(dataDir, 'media', '提示.wav'));
  });

  it('never writes over a prompt: the same name again is saved as name_2.wav, which the answer says', async () => {
    const first = tone(0.2);
    const second = tone(0.3);
    expect(await s.handle({ op: 'upload', name: 'ivr.wav', data: first.toString('base64') })).toMatchObject({
      ok: true,
      result: { file: 'media/ivr.wav' },
    });
    expect(await s.handle({ op: 'upload', name: 'ivr.wav', data: second.toString('base64') })).toMatchObject({
      ok: true,
      result: { file: 'media/ivr_2.wav', seconds: 0.3 },
    });
    expect(readFileSync(join(dataDir, 'media', 'ivr.wav')).equals(first)).toBe(true);
    expect(readFileSync(join(dataDir, 'media', 'ivr_2.wav')).equals(second)).toBe(true);
    expect(readdirSync(join(dataDir, 'media')).sort()).toEqual(['ivr.wav', 'ivr_2.wav']);
  });

  it('does not put an upload in front of a shipped prompt: default.wav is saved as default_2.wav', async () => {
    // The app (the checkout) ships media/default.wav; the data folder is looked in first.
    const shipped = join(__dirname, '..', '..', '..', 'media', 'default.wav');
    expect(existsSync(shipped)).toBe(true);
    const r = await s.handle({ op: 'upload', name: 'default.wav', data: tone(0.2).toString('base64') });
    expect(r).toMatchObject({ ok: true, result: { file: 'media/default_2.wav' } });
    expect(existsSync(join(dataDir, 'media', 'default.wav'))).toBe(false);
    expect(appliance.dialer.resolveMedia('media/default.wav')).toBe(shipped);
  });

  it("offers and resolves the installed app's own prompts, whatever the working folder", async () => {
    const appDir = mkdtempSync(join(tmpdir(), 'ims-app-'));
    try {
      mkdirSync(join(appDir, 'media'));
      writeFileSync(join(appDir, 'media', 'shipped-only.wav'), tone(0.5));
      const installed = new Appliance({
        dataDir,
        appDirs: [appDir],
        console: false,
        settings: new Settings([['LOG.LEVEL', 'INFO']]),
      });
      try {
        expect(installed.dialer.resolveMedia('media/shipped-only.wav')).toBe(
          join(appDir, 'media', 'shipped-only.wav'),
        );
        expect(installed.dialer.snapshot().mediaFiles).toContain('media/shipped-only.wav');
      } finally {
        await installed.stop();
      }
    } finally {
      rmSync(appDir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not a usable WAV, naming it, and writes nothing', async () => {
    const r = await s.handle({
      op: 'upload',
      name: 'notes.wav',
      data: Buffer.from('this is not audio').toString('base64'),
    });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/^notes\.wav: not a WAV file/) });
    expect(existsSync(join(dataDir, 'media', 'notes.wav'))).toBe(false);
  });

  it("says why in the console's language, the file's name kept", async () => {
    const notAudio = Buffer.from('this is not audio').toString('base64');
    const zh = await s.handle({ op: 'upload', name: 'notes.wav', data: notAudio, lang: 'zh' });
    expect(zh).toEqual({ ok: false, error: 'notes.wav: 不是 WAV 文件（不是 RIFF 文件）' });
    const stereo6 = encodeWav(new Int16Array(0));
    stereo6.writeUInt16LE(6, 22); // six channels
    expect(
      await s.handle({ op: 'upload', name: 'six.wav', data: stereo6.toString('base64'), lang: 'zh' }),
    ).toEqual({ ok: false, error: 'six.wav: 6 个声道：只支持单声道或立体声' });
    expect(
      await s.handle({ op: 'upload', name: 'six.wav', data: stereo6.toString('base64'), lang: 'en' }),
    ).toEqual({ ok: false, error: 'six.wav: 6 channels: mono or stereo only' });
  });

  it('refuses names with folders or another extension, data that is not base64, and files too large', async () => {
    const data = tone(0.1).toString('base64');
    for (const name of ['../evil.wav', 'a/b.wav', 'prompt.mp3', '.hidden.wav', ''])
      expect(await s.handle({ op: 'upload', name, data })).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^name: /),
      });
    expect(await s.handle({ op: 'upload', name: 'x.wav', data: 'not base64!' })).toMatchObject({
      ok: false,
      error: 'data: expected base64',
    });
    expect(await s.handle({ op: 'upload', name: 'x.wav', data: 'A'.repeat(600_000) })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^data: larger than 360 KB/),
    });
    expect(existsSync(join(dataDir, 'media'))).toBe(false);
  });
});
