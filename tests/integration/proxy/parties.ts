// The two ends of a call through the proxy under test: a callee (a SIPp UAS listening on a free port
// whose Contact is registered for its user first) and a caller (a SIPp UAC that answers the 407).
import { runMml, type LabServer } from '../../support/lab-server';
import { RegisteringUa, listedContacts, openUdp, type Credentials } from '../../support/sip-client';
import {
  freePort,
  runSipp,
  startSipp,
  type SippProcess,
  type SippResult,
  type SippRun,
} from '../../support/sipp';
import { SipRequest, SipResponse } from '../../../core/sip/message/index';

export const user = (n: number): Credentials => ({ username: String(n), password: `pw-${n}` });

/** Users imported for a test file: `from`..`from + count - 1`, passwords pw-<n>. */
export function users(from: number, count: number): Credentials[] {
  return Array.from({ length: count }, (_, i) => user(from + i));
}

export function targetOf(server: LabServer): { host: string; port: number } {
  return { host: server.host, port: server.udpPort };
}

/**
 * Registers <sip:user@127.0.0.1:port> for `creds` (digest over a raw UDP socket, like a phone whose
 * registrar client and SIP port differ), so that the proxy routes the user's calls to that port.
 */
export async function registerContact(
  server: LabServer,
  creds: Credentials,
  port: number,
  expires = 300,
): Promise<void> {
  const ch = await openUdp(targetOf(server));
  try {
    const ua = new RegisteringUa(ch, creds);
    const contact = `sip:${creds.username}@127.0.0.1:${port}`;
    const res = await ua.register([`<${contact}>`], expires);
    if (res.status !== 200) throw new Error(`REGISTER for ${creds.username} got:\n${res.toString()}`);
    if (!listedContacts(res).some((c) => c.uri === contact))
      throw new Error(`REGISTER 200 does not list ${contact}:\n${res.toString()}`);
  } finally {
    await ch.close();
  }
}

export type CalleeOptions = Partial<Omit<SippRun, 'scenario' | 'target' | 'localPort'>>;

/** SIPp runs started and not yet ended: a test that fails half-way leaves them to stopStrayCallees(). */
const running = new Set<SippProcess>();

/** SIGKILLs (by PID) every SIPp started here and still running, and waits for them; for afterEach. */
export async function stopStrayCallees(): Promise<void> {
  const left = [...running];
  for (const p of left) p.kill();
  await Promise.all(left.map((p) => p.result.catch(() => undefined)));
}

/** A SIPp UAS on a free port, registered for `creds`, listening when this resolves. */
export async function startCallee(
  server: LabServer,
  creds: Credentials,
  scenario: string,
  options: CalleeOptions = {},
): Promise<SippProcess> {
  const port = await freePort();
  await registerContact(server, creds, port);
  const sipp = await startSipp({
    timeoutSeconds: 15,
    ...options,
    scenario,
    target: targetOf(server),
    localPort: port,
  });
  running.add(sipp);
  const forget = (): boolean => running.delete(sipp);
  void sipp.result.then(forget, forget);
  try {
    await sipp.ready();
  } catch (err) {
    sipp.kill();
    throw err;
  }
  return sipp;
}

type CallOptions = Partial<Omit<SippRun, 'scenario' | 'target'>>;

/**
 * The run of a SIPp UAC calling `callee` as `caller` (the scenario answers the 407 with the caller's
 * password). SIPp 3.6 puts uri="sip:<remote_ip>:<remote_port>" in its digest unless told -auth_uri; the
 * server takes that uri (it names the server) or the Request-URI (RFC 2617 §3.2.2.5): -auth_uri sets
 * it to the scenarios' Request-URI, sip:<callee>@<server>, as a phone signs it.
 */
function callRun(
  server: LabServer,
  scenario: string,
  caller: Credentials,
  callee: string,
  options: CallOptions,
): SippRun {
  return {
    timeoutSeconds: 15,
    ...options,
    scenario,
    target: targetOf(server),
    users: options.users ?? [caller],
    keys: { callee, ...options.keys },
    args: ['-auth_uri', `${callee}@${server.host}:${server.udpPort}`, ...(options.args ?? [])],
  };
}

/** A SIPp UAC call, run to its end. */
export function call(
  server: LabServer,
  scenario: string,
  caller: Credentials,
  callee: string,
  options: CallOptions = {},
): Promise<SippResult> {
  return runSipp(callRun(server, scenario, caller, callee, options));
}

/** A SIPp UAC call left running (its result comes later); stopStrayCallees() also ends it. */
export async function startCall(
  server: LabServer,
  scenario: string,
  caller: Credentials,
  callee: string,
  options: CallOptions = {},
): Promise<SippProcess> {
  const sipp = await startSipp(callRun(server, scenario, caller, callee, options));
  running.add(sipp);
  const forget = (): boolean => running.delete(sipp);
  void sipp.result.then(forget, forget);
  return sipp;
}

/** Both results, for assertion messages. */
export function describeBoth(caller: SippResult, callee: SippResult): string {
  return `=== caller\n${caller.describe()}\n=== callee\n${callee.describe()}`;
}

/** "<status> <CSeq method>" of each response, in order: e.g. ["100 INVITE", "407 INVITE", ...]. */
export function answers(r: SippResult): string[] {
  return r.responses.map((m) => `${m.status} ${m.cseq.method}`);
}

/** The requests SIPp received (a UAS's view), in order. */
export function receivedRequests(r: SippResult): SipRequest[] {
  return r.messages.flatMap((m) =>
    m.direction === 'received' && m.message instanceof SipRequest ? [m.message] : [],
  );
}

/** The responses SIPp sent (a UAS's view), in order. */
export function sentResponses(r: SippResult): SipResponse[] {
  return r.messages.flatMap((m) =>
    m.direction === 'sent' && m.message instanceof SipResponse ? [m.message] : [],
  );
}

/** The ID of the one live call in `state` (DSP CALL, as the admin), waiting up to 3 s for it. */
export async function liveCall(
  server: LabServer,
  adminPassword: string,
  state: 'RINGING' | 'ANSWERED',
): Promise<string> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const answer = await runMml(server, adminPassword, 'DSP CALL');
    const table = answer.results[0]?.tables[0];
    const col = (name: string): number => table?.columns.findIndex((c) => c.name === name) ?? -1;
    const row = table?.rows.find((r) => r[col('State')] === state);
    if (row !== undefined) return String(row[col('ID')]);
    if (Date.now() > deadline) throw new Error(`no ${state} call in DSP CALL:\n${answer.text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
