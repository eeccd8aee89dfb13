// SET CFG of the listeners checked against the next start: an address that is not this machine's
// (SIP.HOST, HTTP.HOST) and a port another program holds (HTTP.PORT, SIP.TLS_PORT, SIP.WSS_PORT) were taken, saved, and the next
// start stopped on them (exit 2). A key the environment sets is said to be overridden on every SET CFG
// and on SAVE CFG, and the port checks reason with the environment's values, which the next start uses.
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { foreignAddress, loadSettings } from '../../../core/config/settings';
import { RETCODE } from '../../../core/mml/command';
import { makeDir, openLab, run, useLabs } from './lab';

useLabs();

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A TCP port on 127.0.0.1 held by "another program" (a server of the test's own). */
async function heldTcpPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A port free now (bound on port 0, then let go). */
async function freePort(): Promise<number> {
  const port = await heldTcpPort();
  await new Promise((resolve) => servers.pop()!.close(resolve));
  return port;
}

describe('SET CFG of a listener, checked as the next start checks it', () => {
  it.each(['SIP.HOST', 'HTTP.HOST'])('refuses a %s that is not an address of this machine', async (key) => {
    const lab = openLab();
    const r = await run(lab, `SET CFG KEY=${key} VALUE=192.0.2.1`);
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toBe(
      `Parameter VALUE: ${key} cannot be 192.0.2.1: the address 192.0.2.1 is not one of this machine's (the next start would refuse it)`,
    );
    expect(lab.settings.str(key)).toBe('0.0.0.0');
    expect((await run(lab, `SET CFG KEY=${key} VALUE=127.0.0.1`)).retcode).toBe(0);
  });

  it('knows loopback, the unspecified addresses and the interfaces as this machine', () => {
    const interfaces = {
      eth0: [
        {
          address: '10.1.2.3',
          netmask: '255.0.0.0',
          family: 'IPv4' as const,
          mac: '00:00:00:00:00:00',
          internal: false,
          cidr: '10.1.2.3/8',
        },
      ],
    };
    for (const a of ['0.0.0.0', '::', '127.0.0.1', '127.0.0.2', '10.1.2.3'])
      expect(foreignAddress(a, interfaces)).toBeUndefined();
    expect(foreignAddress('10.1.2.4', interfaces)).toMatch(/not one of this machine's/);
  });

  it('refuses an HTTP.PORT another program holds', async () => {
    const dir = makeDir();
    const lab = openLab(dir, loadSettings(dir, { HTTP_HOST: '127.0.0.1' }));
    const port = await heldTcpPort();
    const r = await run(lab, `SET CFG KEY=HTTP.PORT VALUE=${port}`);
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toBe(
      `Parameter VALUE: HTTP.PORT cannot be ${port}: TCP 127.0.0.1:${port} is already in use by another program (another SIP server, another IMS Lab?): stop it, or choose another port`,
    );
    expect(lab.settings.int('HTTP.PORT')).toBe(8888);
    expect((await run(lab, `SET CFG KEY=HTTP.PORT VALUE=${await freePort()}`)).retcode).toBe(0);
  });

  // Every listener's port is probed the same way: SIP.TLS_PORT and SIP.WSS_PORT were not, so a port another
  // program held was taken and the next start stopped on it.
  it.each(['SIP.TLS_PORT', 'SIP.WS_PORT', 'SIP.WSS_PORT'])(
    'refuses a %s another program holds',
    async (key) => {
      const dir = makeDir();
      const lab = openLab(dir, loadSettings(dir, { SIP_HOST: '127.0.0.1' }));
      const before = lab.settings.int(key);
      const port = await heldTcpPort();
      const r = await run(lab, `SET CFG KEY=${key} VALUE=${port}`);
      expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
      expect(r.message).toBe(
        `Parameter VALUE: ${key} cannot be ${port}: TCP 127.0.0.1:${port} is already in use by another program (another SIP server, another IMS Lab?): stop it, or choose another port`,
      );
      expect(lab.settings.int(key)).toBe(before);
      expect((await run(lab, `SET CFG KEY=${key} VALUE=${await freePort()}`)).retcode).toBe(0);
      // 0 turns the listener off: nothing to probe.
      expect((await run(lab, `SET CFG KEY=${key} VALUE=0`)).retcode).toBe(0);
    },
  );

  it('refuses SIP.TCP YES while another program holds TCP on SIP.PORT (SIP.TCP NO binds UDP only)', async () => {
    const dir = makeDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ 'SIP.TCP': false }));
    const port = await heldTcpPort();
    const lab = openLab(dir, loadSettings(dir, { SIP_HOST: '127.0.0.1', SIP_PORT: String(port) }));
    const r = await run(lab, 'SET CFG KEY=SIP.TCP VALUE=YES');
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toBe(
      `Parameter VALUE: SIP.TCP cannot be YES: TCP 127.0.0.1:${port} is already in use by another program (another SIP server, another IMS Lab?): stop it, or choose another port`,
    );
    expect(lab.settings.bool('SIP.TCP')).toBe(false);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    expect((await run(lab, 'SET CFG KEY=SIP.TCP VALUE=YES')).retcode).toBe(0);
  });

  it("refuses the dialer's SIP socket inside its RTP range or on an address not this machine's (RETCODE 3, 中文 too)", async () => {
    const lab = openLab();
    const zh = async (command: string): Promise<string> =>
      (await lab.engine.execute(command, 'tester', { lang: 'zh' }))[0]!.message;
    const port = await run(lab, 'SET CFG KEY=DIALER.LOCAL_PORT VALUE=25000');
    expect(port.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(port.message).toBe(
      "Parameter VALUE: DIALER.LOCAL_PORT cannot be 25000: 25000 is inside the dialer's RTP range DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX (20000..30000): give the dialer's SIP port one outside it, or 0 for a free one",
    );
    expect(await zh('SET CFG KEY=DIALER.LOCAL_PORT VALUE=25000')).toBe(
      '参数 VALUE 错误: DIALER.LOCAL_PORT 不能为 25000：25000 在外呼的 RTP 端口范围 DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX（20000..30000）之内：请给外呼的 SIP 端口一个范围外的端口，或 0 表示任一空闲端口',
    );
    expect(await zh('SET CFG KEY=DIALER.RTP_PORT_MIN VALUE=9000')).toBe(
      '参数 VALUE 错误: DIALER.RTP_PORT_MIN 会使 RTP 端口范围 DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX（9000..30000）包含外呼的 SIP 端口 DIALER.LOCAL_PORT（10000）：请让范围避开它，或在一条命令中同时设置外呼的各端口（一并检查）：SET CFG KEY=DIALER.RTP_PORT_MIN VALUE=9000 RTP_PORT_MAX=<max> LOCAL_PORT=<port>',
    );
    // Read as a sentence of the key being set, not "DIALER.RTP_PORT_MAX DIALER.RTP_PORT_MIN..." (findings F9).
    expect((await run(lab, 'SET CFG KEY=DIALER.LOCAL_PORT VALUE=30010')).retcode).toBe(0);
    expect((await run(lab, 'SET CFG KEY=DIALER.RTP_PORT_MAX VALUE=30020')).message).toBe(
      "Parameter VALUE: DIALER.RTP_PORT_MAX puts DIALER.LOCAL_PORT (30010), the dialer's SIP port, inside the RTP range DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX (20000..30020)" +
        ": keep the range clear of it, or set the dialer's ports in one command, checked together: SET CFG KEY=DIALER.RTP_PORT_MAX VALUE=30020 RTP_PORT_MIN=<min> LOCAL_PORT=<port>",
    );
    // Moving the range above its maximum: the answer says to set the maximum first.
    expect((await run(lab, 'SET CFG KEY=DIALER.RTP_PORT_MIN VALUE=42882')).message).toBe(
      'Parameter VALUE: DIALER.RTP_PORT_MIN must be below DIALER.RTP_PORT_MAX (30000), got 42882: to move both above it, set DIALER.RTP_PORT_MAX first',
    );
    expect(await zh('SET CFG KEY=DIALER.RTP_PORT_MIN VALUE=42882')).toBe(
      '参数 VALUE 错误: DIALER.RTP_PORT_MIN 应小于 DIALER.RTP_PORT_MAX（30000），实际为 42882：要把两者都移到它之上，请先设置 DIALER.RTP_PORT_MAX',
    );
    expect((await run(lab, 'SET CFG KEY=DIALER.LOCAL_PORT VALUE=10000')).retcode).toBe(0);
    const ip = await run(lab, 'SET CFG KEY=DIALER.LOCAL_IP VALUE=192.0.2.1');
    expect(ip.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(ip.message).toBe(
      "Parameter VALUE: DIALER.LOCAL_IP cannot be 192.0.2.1: the address 192.0.2.1 is not one of this machine's: the dialer's SIP and RTP sockets cannot bind it (empty: the server's address)",
    );
    expect(await zh('SET CFG KEY=DIALER.LOCAL_IP VALUE=192.0.2.1')).toBe(
      '参数 VALUE 错误: DIALER.LOCAL_IP 不能为 192.0.2.1：地址 192.0.2.1 不是本机的地址：外呼的 SIP 和 RTP 套接字无法绑定它（为空: 使用服务器的地址）',
    );
    expect([lab.settings.int('DIALER.LOCAL_PORT'), lab.settings.str('DIALER.LOCAL_IP')]).toEqual([10000, '']);
    expect((await run(lab, 'SET CFG KEY=DIALER.LOCAL_IP VALUE=127.0.0.1')).retcode).toBe(0);
  });

  it('says the environment wins on every SET CFG of its key and on SAVE CFG, and checks ports against it', async () => {
    const dir = makeDir();
    const sipPort = await freePort();
    const lab = openLab(dir, loadSettings(dir, { SIP_PORT: String(sipPort) }));
    const wins = 'the environment variable SIP_PORT sets it at start-up and wins over config.json';
    expect((await run(lab, `SET CFG KEY=SIP.PORT VALUE=${sipPort + 1}`)).message).toContain(wins);
    expect((await run(lab, `SET CFG KEY=SIP.PORT VALUE=${sipPort + 2}`)).message).toContain(wins);
    // SIP.PORT's pending value is not what the next start binds: SIP_PORT's is, and HTTP.PORT may not take it.
    const clash = await run(lab, `SET CFG KEY=HTTP.PORT VALUE=${sipPort}`);
    expect(clash.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(clash.message).toBe(
      `Parameter VALUE: HTTP.PORT cannot be ${sipPort}: TCP port ${sipPort} is SIP_PORT's too: give each listener its own port`,
    );
    expect((await run(lab, 'SAVE CFG')).message).toBe(
      `Saved SIP.PORT to ${join(dir, 'config.json')}; the next start does not use SIP.PORT ` +
        '(the environment variable SIP_PORT wins over it)',
    );
    // Nothing of it waits for a restart (the console's "needs a restart" banner reads this), and DSP CFG
    // says which key the environment overrides.
    expect(lab.settings.pendingRestart()).not.toContain('SIP.PORT');
    const cfg = await run(lab, 'DSP CFG KEY=SIP.PORT');
    expect(cfg.message).toContain('The environment wins at every start over: SIP.PORT (SIP_PORT)');
    expect(cfg.message).not.toContain('Waiting for a restart');
    const zh = (await lab.engine.execute('DSP CFG KEY=SIP.PORT', 'tester', { lang: 'zh' }))[0]!.message;
    expect(zh).toContain('每次启动时环境变量优先于: SIP.PORT (SIP_PORT)');
  });

  it('says so in Chinese too', async () => {
    const dir = makeDir();
    const lab = openLab(
      dir,
      loadSettings(dir, { HTTP_HOST: '127.0.0.1', SIP_PORT: String(await freePort()) }),
    );
    const zh = async (command: string): Promise<string> =>
      (await lab.engine.execute(command, 'tester', { lang: 'zh' }))[0]!.message;
    expect(await zh('SET CFG KEY=SIP.HOST VALUE=192.0.2.1')).toBe(
      '参数 VALUE 错误: SIP.HOST 不能为 192.0.2.1：地址 192.0.2.1 不是本机的地址（下次启动会拒绝它）',
    );
    const port = await heldTcpPort();
    expect(await zh(`SET CFG KEY=HTTP.PORT VALUE=${port}`)).toBe(
      `参数 VALUE 错误: HTTP.PORT 不能为 ${port}：TCP 127.0.0.1:${port} 已被其他程序占用（另一个 SIP 服务器或另一个 IMS Lab？）：请停止它，或换一个端口`,
    );
    await zh('SET CFG KEY=SIP.PORT VALUE=0');
    expect(await zh('SAVE CFG')).toBe(
      `已保存 SIP.PORT 到 ${join(dir, 'config.json')}；下次启动不会使用 SIP.PORT（环境变量 SIP_PORT 优先）`,
    );
  });
});
