// The Docker image's /data (Dockerfile): made 0755 (`mkdir -p /data && chown`), so every fresh named
// volume, which takes the image folder's mode, started with "WARNING ... was open to other users of this
// host (mode 0755): now 0700". The image's own command is run here on a temporary folder, as this user.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp-dir';

const ROOT = join(__dirname, '..', '..', '..');

describe('the Docker image’s /data', () => {
  it('is made 0700, owned by the node user', () => {
    const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const runs = [...text.matchAll(/^RUN (.*\/data\b.*)$/gm)].map((m) => m[1]!);
    expect(runs).toHaveLength(1);
    const command = runs[0]!;
    expect(command).toMatch(/-o node -g node|chown node:node/);
    const data = join(tempDir('ims-docker-'), 'data');
    const { uid, gid } = userInfo();
    execFileSync('sh', [
      '-c',
      command
        .replace(/\/data\b/g, data)
        .replace(/-o node -g node/g, `-o ${uid} -g ${gid}`)
        .replace(/chown node:node/g, `chown ${uid}:${gid}`),
    ]);
    expect(statSync(data).mode & 0o777).toBe(0o700);
  });
});
