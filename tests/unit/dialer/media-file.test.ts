// Where a MEDIA_FILE may be (core/dialer/media-file.ts): the data folder and the app's folders, never the
// working folder (a packaged macOS app runs in `/`) nor a filesystem root (the Docker image's
// /app/core/server.js gave `/` as an app folder).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mediaCandidates, mediaRoots } from '../../../core/dialer/media-file';
import { tempDir } from '../../support/temp-dir';

afterEach(() => vi.restoreAllMocks());

describe('mediaRoots', () => {
  it('is the data folder and the app’s folders, not the working folder `/`, nor `/` as an app folder', () => {
    vi.spyOn(process, 'cwd').mockReturnValue('/');
    const data = tempDir('ims-media-data-');
    const app = tempDir('ims-media-app-');
    const roots = mediaRoots(data, ['/', app]);
    expect(roots).toEqual([data, app]);
    // Any WAV on the host, or a probe of any file, was "inside" `/`.
    const outside = join(tempDir('ims-media-elsewhere-'), 'outside.wav');
    expect(mediaCandidates(outside, roots)).toEqual([]);
    expect(mediaCandidates(outside.slice(1), roots)).toEqual([
      join(data, outside.slice(1)),
      join(app, outside.slice(1)),
    ]);
    expect(mediaCandidates('/etc/passwd', roots)).toEqual([]);
  });

  it('resolves the original’s media/default.wav, and a bare name, in each folder’s media/', () => {
    const data = tempDir('ims-media-data-');
    const app = tempDir('ims-media-app-');
    mkdirSync(join(app, 'media'));
    copyFileSync(join(__dirname, '../../../media/default.wav'), join(app, 'media', 'default.wav'));
    const roots = mediaRoots(data, [app]);
    expect(mediaCandidates('media/default.wav', roots)).toEqual([
      join(data, 'media', 'default.wav'),
      join(app, 'media', 'default.wav'),
    ]);
    expect(mediaCandidates('default.wav', roots)).toEqual([
      join(data, 'media', 'default.wav'),
      join(data, 'default.wav'),
      join(app, 'media', 'default.wav'),
      join(app, 'default.wav'),
    ]);
  });
});
