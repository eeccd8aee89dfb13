// A real Kamailio (5.x, /usr/sbin/kamailio) beside the server under test, as an application server or
// edge proxy that sends calls back through IMS Lab: UDP on 127.0.0.1 at a free port, its config written
// to a temporary folder, stopped by its PID (SIGTERM, its children follow). Tests that need it skip
// when it is not installed, and say so.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProgram, type Child } from '../../support/processes';
import { freePort } from '../../support/sipp';

export const KAMAILIO = process.env.KAMAILIO ?? '/usr/sbin/kamailio';
export const HAS_KAMAILIO = existsSync(KAMAILIO);
const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';

if (!HAS_KAMAILIO)
  process.stderr.write(
    `[kamailio] ${KAMAILIO} not found (apt-get install kamailio): Kamailio tests are skipped\n`,
  );

export interface Kamailio {
  readonly port: number;
  readonly child: Child;
  stop(): Promise<void>;
}

/**
 * Kamailio as a record-routing proxy (rr, tm; a REGISTER is not record-routed) whose initial requests
 * run `initial` (kamailio.cfg statements, e.g. a Request-URI rewrite; given Kamailio's port when a
 * function) before t_relay(); in-dialog requests follow their Route.
 */
export async function startKamailio(initial: string | ((port: number) => string)): Promise<Kamailio> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ims-kamailio-'));
  const cfg = join(dir, 'kamailio.cfg');
  writeFileSync(
    cfg,
    [
      '#!KAMAILIO',
      'debug=2',
      'log_stderror=yes',
      'fork=yes',
      'children=1',
      'disable_tcp=yes',
      'disable_sctp=yes',
      `listen=udp:127.0.0.1:${port}`,
      `mpath="${MODULES}"`,
      ...['tm', 'sl', 'rr', 'pv', 'maxfwd', 'siputils', 'textops'].map((m) => `loadmodule "${m}.so"`),
      'modparam("rr", "append_fromtag", 1)',
      'request_route {',
      '  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }',
      '  if (is_method("CANCEL")) { if (t_check_trans()) t_relay(); exit; }',
      '  if (!is_method("ACK")) t_check_trans();',
      '  if (has_totag()) {',
      '    if (loose_route()) { t_relay(); exit; }',
      '    if (is_method("ACK")) { if (t_check_trans()) t_relay(); exit; }',
      '    sl_send_reply("404", "Not here"); exit;',
      '  }',
      '  if (!is_method("REGISTER")) record_route();',
      `  ${typeof initial === 'string' ? initial : initial(port)}`,
      '  t_relay();',
      '  exit;',
      '}',
      '',
    ].join('\n'),
  );
  const child = startProgram(KAMAILIO, ['-f', cfg, '-DD', '-E', '-Y', dir]);
  try {
    // The main process binds the socket before forking its receivers: datagrams wait for them.
    await child.waitFor(/SO_RCVBUF is finally/, 10_000);
  } catch (err) {
    child.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    child,
    async stop() {
      child.proc.kill('SIGTERM');
      const timer = setTimeout(() => child.proc.kill('SIGKILL'), 5000);
      await child.exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
