// The environment as an env file or a compose file gives it, against the built server: IMS_DATA_DIR with a
// blank around it (`IMS_DATA_DIR= /data`) started on a new, empty folder " /data " under the working folder
// (the ports were trimmed, the folder not); an empty SIP_PORT= or LOG_LEVEL= meant the default without a
// word; LOG_LEVL=DEBUG and sip_port=5070 were ignored silently (only SIP_, HTTP_, IMS_... were checked).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_BUILD, startNode } from '../../support/processes';
import {
  consoleUrl,
  removeDataDir,
  serverEnv,
  startLabServer,
  type LabServer,
} from '../../support/lab-server';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

let server: LabServer | undefined;
afterEach(async () => {
  await server?.stop();
  if (server !== undefined) removeDataDir(server.dataDir);
  server = undefined;
});

describe.skipIf(!HAS_BUILD)('the environment with blanks, empty values and mistyped names', () => {
  it('trims IMS_DATA_DIR and names empty and mistyped variables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-env-blanks-'));
    server = await startLabServer({
      dataDir: dir,
      env: {
        IMS_DATA_DIR: ` ${dir} `,
        HTTP_HOST: '127.0.0.1',
        LOCAL_NETWORK_CIDR: '',
        LOG_LEVL: 'DEBUG',
        sip_port: '5070',
      },
    });
    await consoleUrl(server);
    const output = server.child.output();
    expect(output).toContain(`data in ${dir}\n`);
    expect(existsSync(join(dir, 'ims-lab.db'))).toBe(true);
    expect(output).toContain(
      "environment variable LOCAL_NETWORK_CIDR is empty: taken as unset, so SIP.LOCAL_NETWORK_CIDR is config.json's or the default (192.168.0.0/16)",
    );
    expect(output).toContain(
      'environment variable LOG_LEVL is not one IMS Lab reads, ignored (did you mean LOG_LEVEL?)',
    );
    expect(output).toContain(
      'environment variable sip_port is not one IMS Lab reads, ignored (did you mean SIP_PORT?',
    );
  });
});

describe.skipIf(!HAS_BUILD)('a data folder an older build made with the blank in its name', () => {
  // Builds before round 37 used IMS_DATA_DIR as given: `IMS_DATA_DIR=/data ` kept the bench in "/data ".
  // This build trims it and started on a new, empty /data (default users, a new TLS certificate).
  it('refuses the start (exit 2) naming both folders, and makes no new one', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ims-env-blank-folder-'));
    const dir = join(parent, 'data');
    mkdirSync(`${dir} `);
    writeFileSync(join(`${dir} `, 'ims-lab.db'), '');
    try {
      // Loopback, free ports: without the fix it starts (on the new folder) until killed below.
      const child = startNode(['out/core/server.js'], serverEnv(`${dir} `, { HTTP_HOST: '127.0.0.1' }));
      const timer = setTimeout(() => child.proc.kill('SIGKILL'), 10_000);
      expect(await child.exited).toBe(2);
      expect(child.output()).toContain(
        `ims-lab: IMS_DATA_DIR=${JSON.stringify(`${dir} `)} has a blank around it: this IMS Lab takes it as ${dir}, ` +
          `but the folder as given, "${dir} " (older IMS Lab versions used the value untrimmed), holds ims-lab.db`,
      );
      expect(child.output()).toContain(`mv "${dir} " ${dir}`);
      expect(existsSync(dir)).toBe(false);
      clearTimeout(timer);
    } finally {
      removeDataDir(parent);
    }
  });
});
