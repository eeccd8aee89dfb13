// A campaign's calls the dialer gave up before any answer whose INVITE still waits for its final answer
// (a callee that answered the CANCEL 200 but never 487, or a dead one: up to 64*T1, RFC 3261 §9.1,
// §17.1.1.2). DSP DIALSVC counts them already; the CDR row the proxy writes at that answer is not there
// yet, so DSP CDR CAMPAIGN= shows fewer rows meanwhile (an answered call's row is written at its BYE). The campaign's Note (DSP DIALSVC, the Dialer view) says how
// many, in English and in Chinese.

/** The Note's part, or undefined when no call waits. */
export function waitingNote(calls: number): string | undefined {
  if (calls === 0) return undefined;
  return calls === 1
    ? '1 call still waiting for its final answer: its CDR row comes with it'
    : `${calls} calls still waiting for their final answer: their CDR rows come with it`;
}

/** The Note part's pattern and its Chinese (the dialer's reason-zh.ts reads it). */
export const ZH_WAITING: [RegExp, (n: string) => string] = [
  /^(\d+) calls? still waiting for (?:its|their) final answer: (?:its CDR row comes|their CDR rows come) with it$/,
  (n) => `${n} 个呼叫仍在等待最终应答：其 CDR 记录随之写入`,
];
