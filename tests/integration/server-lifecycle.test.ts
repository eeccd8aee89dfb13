// The headless entry starts, reports its version and configuration, and stops cleanly on SIGTERM/SIGINT;
// a bad environment variable stops it with a message naming the variable.
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_BUILD, SERVER_BUNDLE, startNode, type Child } from '../support/processes';

const started: Child[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
});

function start(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const c = startNode(args, env);
  started.push(c);
  return c;
}

describe.skipIf(!HAS_BUILD)('headless server lifecycle', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('out/core/server.js exits 0 on %s', async (signal) => {
    const c = start([SERVER_BUNDLE], { SIP_PORT: '0', LOG_LEVEL: 'debug' });
    await c.waitFor(/^config .*"sipPort":0.*"logLevel":"DEBUG"/m);
    expect(c.output()).toMatch(/^IMS Lab \d+\.\d+\.\d+ \(headless\)/);
    c.proc.kill(signal);
    expect(await c.exited).toBe(0);
  });

  it('core/server.js (the launcher users know) runs the same bundle', async () => {
    const c = start(['core/server.js']);
    await c.waitFor(/^IMS Lab .* \(headless\)/m);
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(0);
  });

  it('refuses a bad variable with exit code 2 and names it', async () => {
    const c = start([SERVER_BUNDLE], { SIP_PORT: '70000' });
    expect(await c.exited).toBe(2);
    expect(c.output()).toContain('SIP_PORT: expected a port number 0..65535, got "70000"');
  });
});
