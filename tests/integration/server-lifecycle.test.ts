// The headless entry starts, reports its version and configuration, and stops cleanly on SIGTERM/SIGINT;
// a bad environment variable stops it with a message naming the variable.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chownSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { HAS_BUILD, ROOT, SERVER_BUNDLE, startNode, startProgram, type Child } from '../support/processes';
import { canMount, mountTmpfs, unmountTmpfs } from '../support/tmpfs';
import { addFiller, backupBesideNewerLog, damageTable } from '../support/damaged-database';
import { importUsers } from '../support/lab-server';
import { tempDir } from '../support/temp-dir';

function serverEnv(): NodeJS.ProcessEnv {
  return {
    IMS_DATA_DIR: tempDir('ims-life-'),
    SIP_HOST: '127.0.0.1',
    SIP_PORT: '0',
    HTTP_PORT: '0',
  };
}

const started: Child[] = [];
/** Servers a test started under a shell it then killed: by PID, they are not our children. */
const orphans: number[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  for (const pid of orphans.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The server's PID, from the start line of its day's log. */
async function serverPid(dataDir: string, c: Child): Promise<number> {
  await c.waitFor(/^Console on http/m);
  const day = readdirSync(join(dataDir, 'logs'))[0]!;
  const log = readFileSync(join(dataDir, 'logs', day, 'ims-sip-server.log'), 'utf8');
  return Number(/\[appliance\] IMS Lab \S+ starting: pid (\d+),/.exec(log)![1]);
}

function start(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const c = startNode(args, env);
  started.push(c);
  return c;
}

describe.skipIf(!HAS_BUILD)('headless server lifecycle', () => {
  // SIGHUP: the terminal it was started from closed; it lost the last CDR rows (exit 129).
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'] as const)(
    'out/core/server.js exits 0 on %s',
    async (signal) => {
      const env = serverEnv();
      const c = start([SERVER_BUNDLE], env);
      await c.waitFor(/SIP on 127\.0\.0\.1 UDP \d+ TCP \d+/);
      expect(c.output()).toMatch(/^IMS Lab \d+\.\d+\.\d+ \(headless\)/);
      c.proc.kill(signal);
      expect(await c.exited).toBe(0);
      // The day's log says who started and why it stopped, not only stdout.
      const day = readdirSync(join(env.IMS_DATA_DIR!, 'logs'))[0]!;
      const log = readFileSync(join(env.IMS_DATA_DIR!, 'logs', day, 'ims-sip-server.log'), 'utf8');
      expect(log).toMatch(new RegExp(`\\[appliance\\] IMS Lab \\S+ starting: pid ${c.proc.pid}, Node `));
      expect(log).toContain(`[appliance] ${signal}: stopping`);
      expect(log.trimEnd()).toMatch(/\[appliance\] stopped: calls ended, CDR rows written, database closed$/);
    },
  );

  // A defect nothing caught: Node's default printed the stack on stderr and exited, the day's log said
  // nothing of it and the calls up were not ended nor written. Here one is injected (--require'd: SIGUSR2
  // throws from the event loop, as a defect in a timer would).
  it('an uncaught exception goes to the day’s log as an ERROR line, then the usual stop, exit 1', async () => {
    const env = serverEnv();
    const inject = join(env.IMS_DATA_DIR!, 'inject-defect.cjs');
    writeFileSync(
      inject,
      "process.on('SIGUSR2', () => setImmediate(() => { throw new TypeError('injected defect'); }));\n",
    );
    const c = start([SERVER_BUNDLE], { ...env, SIP_WARMUP_CALLS: '0', NODE_OPTIONS: `--require ${inject}` });
    await c.waitFor(/^Console on http/m);
    c.proc.kill('SIGUSR2');
    expect(await c.exited).toBe(1);
    const day = readdirSync(join(env.IMS_DATA_DIR!, 'logs'))[0]!;
    const log = readFileSync(join(env.IMS_DATA_DIR!, 'logs', day, 'ims-sip-server.log'), 'utf8');
    expect(log).toContain(
      '[ERROR   ] [process] uncaught exception (a defect of IMS Lab): stopping: TypeError: injected defect',
    );
    expect(log).toContain('[appliance] uncaught exception: stopping');
    expect(log.trimEnd()).toMatch(/\[appliance\] stopped: calls ended, CDR rows written, database closed$/);
    expect(c.output()).toMatch(/^uncaught exception: stopped$/m);
  });

  // npm runs a script as `sh -c "npm run build && node ..."` and passes SIGTERM to that shell only, which
  // dies of it: the server was left running, re-parented, holding its ports and the folder's lock.
  it.each([
    ['start', 'node main/start.cjs'],
    ['start:headless', `node ${SERVER_BUNDLE}`],
  ])("under `npm %s` the server stops when npm kills the script's shell", async (event, command) => {
    const env: NodeJS.ProcessEnv = {
      ...serverEnv(),
      SIP_WARMUP_CALLS: '0',
      DISPLAY: '', // main/start.cjs: headless
      WAYLAND_DISPLAY: '',
      npm_lifecycle_event: event,
    };
    const shell = startProgram('sh', ['-c', `true && ${command}`], env);
    started.push(shell);
    const pid = await serverPid(env.IMS_DATA_DIR!, shell);
    orphans.push(pid);
    shell.proc.kill('SIGTERM');
    expect(await shell.exited).toBe('SIGTERM');
    // The server's stdout is still this test's pipe: it says it stopped, and then it is gone.
    await shell.waitFor(/^SIGTERM: stopped$/m);
    expect(shell.output()).toContain('The npm script that started IMS Lab has ended: stopping');
    for (let i = 0; i < 200 && isRunning(pid); i++) await new Promise((r) => setTimeout(r, 25));
    expect(isRunning(pid)).toBe(false);
  });

  // "data in ./data": which folder depended on where it was started from, and the line did not say.
  it('names its data folder by its absolute path when IMS_DATA_DIR is relative', async () => {
    const env = serverEnv();
    const absolute = env.IMS_DATA_DIR!;
    const c = start([SERVER_BUNDLE], {
      ...env,
      SIP_WARMUP_CALLS: '0',
      IMS_DATA_DIR: relative(ROOT, absolute),
    });
    await c.waitFor(/^Console on http/m);
    const first = c.output().split('\n')[0]!;
    expect(first).toMatch(/^IMS Lab \S+ \(headless\), Node \S+, data in /);
    expect(first.slice(first.indexOf(', data in '))).toBe(`, data in ${absolute}`);
    expect(c.output()).toContain(`[appliance] database ${absolute}/ims-lab.db checked`);
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(0);
  });

  it('core/server.js (the launcher users know) runs the same bundle', async () => {
    const c = start(['core/server.js'], serverEnv());
    await c.waitFor(/^IMS Lab .* \(headless\)/m);
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(0);
  });

  it('answers --help and --version, exit code 0', async () => {
    const help = start([SERVER_BUNDLE, '--help']);
    expect(await help.exited).toBe(0);
    expect(help.output()).toMatch(/^usage: node core\/server\.js +runs the appliance/);
    expect(help.output()).toContain('users import');
    const version = start([SERVER_BUNDLE, '--version']);
    expect(await version.exited).toBe(0);
    expect(version.output()).toMatch(/^IMS Lab \d+\.\d+\.\d+\n$/);
  });

  it('refuses a bad variable with exit code 2 and names it', async () => {
    const c = start([SERVER_BUNDLE], { ...serverEnv(), SIP_PORT: '70000' });
    expect(await c.exited).toBe(2);
    expect(c.output()).toContain('SIP_PORT: must be a port number from 0 to 65535 (got "70000")');
  });

  // A mistyped name was ignored without a word: SIP_PROT=5070 started on another port than meant.
  it('names a variable with its prefixes that it does not read in a WARNING, with the nearest name, and starts', async () => {
    const c = start([SERVER_BUNDLE], {
      ...serverEnv(),
      SIP_WARMUP_CALLS: '0',
      SIP_PROT: '5070',
      IMS_ADMIN_PASSWRD: 'typo-pass-123',
      DIALER_USERNAME: '1003',
      HTTP_PROXY: 'http://127.0.0.1:3128', // curl's and npm's: not ours, not named
      SIP_SERVICE_HOST: '10.0.0.1', // Kubernetes' for a service called sip: not named
    });
    await c.waitFor(/^Console on http/m);
    const warnings = c.output().match(/\[WARNING \] \[config\] environment variable .*/g) ?? [];
    expect(warnings.map((w) => w.replace(/^.*environment variable /, ''))).toEqual([
      'SIP_PROT is not one IMS Lab reads, ignored (did you mean SIP_PORT?); README "Running headless" lists them',
      'IMS_ADMIN_PASSWRD is not one IMS Lab reads, ignored (did you mean IMS_ADMIN_PASSWORD?); README "Running headless" lists them',
      'DIALER_USERNAME is not one IMS Lab reads, ignored (DIALER.USERNAME has no environment variable: set it in config.json or with SET CFG); README "Running headless" lists them',
    ]);
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(0);
  });

  // The original's name for the SIP port (its README: "edit SERVER_PORT in run.py") was ignored without a
  // word, the server up on another port than asked for.
  it("names the original's SERVER_PORT in a WARNING naming SIP_PORT, and starts", async () => {
    const c = start([SERVER_BUNDLE], { ...serverEnv(), SIP_WARMUP_CALLS: '0', SERVER_PORT: '5070' });
    await c.waitFor(/^Console on http/m);
    expect(c.output().match(/\[WARNING \] \[config\] environment variable .*/g)).toEqual([
      `[WARNING ] [config] environment variable SERVER_PORT is the original's name for SIP.PORT, not one IMS Lab reads, ignored: set SIP_PORT; README "Running headless" lists them`,
    ]);
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(0);
  });

  it('refuses a HEP collector that is not host:port with exit code 2 and names the setting', async () => {
    const env = serverEnv();
    writeFileSync(join(env.IMS_DATA_DIR!, 'config.json'), '{"TRACE.HEP_COLLECTOR": "nowhere"}');
    const c = start([SERVER_BUNDLE], env);
    expect(await c.exited).toBe(2);
    expect(c.output()).toContain(
      `${join(env.IMS_DATA_DIR!, 'config.json')} TRACE.HEP_COLLECTOR: must be host:port, like 10.0.0.5:9060, homer.lab:9060 or [2001:db8::5]:9060 (no spaces), or empty (got "nowhere")`,
    );
  });
  it('names a data folder it cannot use, and a database of a newer IMS Lab, in one line with exit code 2', async () => {
    const env = serverEnv();
    const file = join(env.IMS_DATA_DIR!, 'a-file');
    writeFileSync(file, '');
    const c = start([SERVER_BUNDLE], { ...env, IMS_DATA_DIR: file });
    expect(await c.exited).toBe(2);
    expect(c.output()).toContain(
      `data folder IMS_DATA_DIR=${file} cannot be used: ${file}: it is a file, not a folder`,
    );
    expect(c.output()).not.toMatch(/\n\s+at /); // no stack

    // A folder the appliance writes in, a file instead (it started, then lost its log lines).
    const logs = join(env.IMS_DATA_DIR!, 'logs');
    writeFileSync(logs, '');
    const l = start([SERVER_BUNDLE], env);
    expect(await l.exited).toBe(2);
    expect(l.output()).toContain(
      `data folder IMS_DATA_DIR=${env.IMS_DATA_DIR} cannot be used: ${logs}: it is a file, not a folder`,
    );

    const dir = serverEnv().IMS_DATA_DIR!;
    writeFileSync(
      join(dir, 'ims-lab.db'),
      'not a database, but long enough to look like a header '.repeat(200),
    );
    const d = start([SERVER_BUNDLE], { ...serverEnv(), IMS_DATA_DIR: dir });
    expect(await d.exited).toBe(2);
    expect(d.output()).toContain(
      `database ${join(dir, 'ims-lab.db')}: file is not a database (SQLITE_NOTADB)`,
    );
  });

  it('refuses a database damaged where its open does not read, naming the file and the way out, exit code 2', async () => {
    const env = serverEnv();
    const dir = env.IMS_DATA_DIR!;
    await importUsers(dir, [{ username: '5001', password: 'pw5001' }]); // makes ims-lab.db
    const file = join(dir, 'ims-lab.db');
    addFiller(file, 2000);
    damageTable(file, 'filler');
    const c = start([SERVER_BUNDLE], { ...env, SIP_WARMUP_CALLS: '0' });
    expect(await c.exited).toBe(2);
    expect(c.output()).toContain(`ims-lab: database ${file} is damaged (`);
    expect(c.output()).toContain(`sqlite3 ${file} ".recover"`);
    expect(c.output()).not.toMatch(/\n\s+at /); // no stack
  });

  it('a backup put back beside the -wal and -shm of the database it replaced: names them, to move aside with it', async () => {
    const env = serverEnv();
    const dir = env.IMS_DATA_DIR!;
    await importUsers(dir, [{ username: '5001', password: 'pw5001' }]); // makes ims-lab.db
    const file = join(dir, 'ims-lab.db');
    backupBesideNewerLog(file);
    const c = start([SERVER_BUNDLE], { ...env, SIP_WARMUP_CALLS: '0' });
    expect(await c.exited).toBe(2);
    expect(c.output()).toContain(`ims-lab: database ${file}`);
    expect(c.output()).toContain(
      `either way, move ${file}-wal and ${file}-shm aside with the damaged file before putting another in its place`,
    );
    // Done, the same backup starts.
    const backup = readFileSync(file);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) renameSync(f, `${f}.damaged`);
    writeFileSync(file, backup);
    const again = start([SERVER_BUNDLE], { ...env, SIP_WARMUP_CALLS: '0' });
    await again.waitFor(/SIP on 127\.0\.0\.1 UDP \d+/);
    again.proc.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  // As root, the server run as nobody (uid 65534) on a folder chowned to it whose files are still root's.
  const NOBODY = 65534;
  const asNobody =
    process.getuid?.() === 0 &&
    spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', SERVER_BUNDLE]).status === 0;
  it.skipIf(!asNobody)(
    "a folder chowned to the user but not its files: names the file, its owner and the files' owner check",
    async () => {
      const env = serverEnv();
      const dir = env.IMS_DATA_DIR!;
      await importUsers(dir, [{ username: '5001', password: 'pw5001' }]); // root's ims-lab.db, secret.key
      chownSync(dir, NOBODY, NOBODY);
      const c = startProgram('runuser', ['-u', 'nobody', '--', process.execPath, SERVER_BUNDLE], {
        ...env,
        SIP_WARMUP_CALLS: '0',
      });
      started.push(c);
      expect(await c.exited).toBe(2);
      const file = join(dir, 'ims-lab.db');
      expect(c.output()).toContain(
        `this user (uid ${NOBODY}) may not write ${file}, owned by uid 0: check the owner and permissions of the files in the data folder, not only of the folder (chown -R`,
      );
    },
  );

  it.skipIf(!canMount)('names a data folder under a read-only mount, exit code 2, no stack', async () => {
    const ro = mountTmpfs('16k', 'ro')!;
    try {
      const c = start([SERVER_BUNDLE], { ...serverEnv(), IMS_DATA_DIR: join(ro, 'data') });
      expect(await c.exited).toBe(2);
      expect(c.output()).toContain(`data folder IMS_DATA_DIR=${join(ro, 'data')} cannot be used: `);
      expect(c.output()).not.toMatch(/\n\s+at /);
    } finally {
      unmountTmpfs(ro);
    }
  });

  it.skipIf(!canMount)(
    'names IMS_DATA_DIR and says read-only or disk full when SQLite cannot open or write there, exit code 2',
    async () => {
      // A read-only mount: an empty folder, and one holding a database.
      const empty = mountTmpfs('16k', 'ro')!;
      const used = mountTmpfs('2m')!;
      const full = mountTmpfs('2m')!;
      try {
        const e = start([SERVER_BUNDLE], { ...serverEnv(), IMS_DATA_DIR: empty });
        expect(await e.exited).toBe(2);
        expect(e.output()).toContain(
          `data folder IMS_DATA_DIR=${empty} cannot be used: the file system is read-only (database `,
        );

        await importUsers(used, [{ username: '5001', password: 'pw5001' }]);
        execFileSync('mount', ['-o', 'remount,ro', used]);
        const u = start([SERVER_BUNDLE], { ...serverEnv(), IMS_DATA_DIR: used });
        expect(await u.exited).toBe(2);
        expect(u.output()).toContain(
          `data folder IMS_DATA_DIR=${used} cannot be used: the file system is read-only (database `,
        );

        // A disk with 60 KB left.
        await importUsers(full, [{ username: '5001', password: 'pw5001' }]);
        const filler = join(full, 'filler');
        try {
          writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024));
        } catch {
          // ENOSPC: the disk is full now
        }
        truncateSync(filler, statSync(filler).size - 60 * 1024);
        const f = start([SERVER_BUNDLE], { ...serverEnv(), IMS_DATA_DIR: full });
        expect(await f.exited).toBe(2);
        expect(f.output()).toMatch(`data folder IMS_DATA_DIR=${full} cannot be used: the disk is full (`);
        expect(f.output()).not.toMatch(/\n\s+at /);
      } finally {
        for (const d of [empty, used, full]) unmountTmpfs(d);
      }
    },
  );

  it('refuses two listeners on one port, naming both settings', async () => {
    const c = start([SERVER_BUNDLE], { ...serverEnv(), SIP_PORT: '45123', SIP_WS_PORT: '45123' });
    expect(await c.exited).toBe(2);
    expect(c.output()).toMatch(/SIP_WS_PORT: TCP port 45123 is SIP_PORT's too/);
  });
});
