// A defect that escapes every handler in the process that runs the appliance: an uncaught exception or
// an unhandled rejection. Node's default (headless) printed the stack on stderr and exited at once: not a
// word in the day's log, and the calls up never got their CDR rows until the next start's recovery.
// Electron's (the desktop) is worse: a raw stack box, and the process limps on in whatever state the throw
// left it. Both homes now say it in the day's log as an ERROR line (its stack with it), written at once,
// then stop the appliance their usual way (calls ended, CDR rows written, database closed; bounded by
// their stop's own time limit) and exit non-zero. A fault while stopping is logged too, nothing more.
import type { Logger } from '../observe/logger';
import { localStamp } from '../observe/logger';
import { logFileOf } from '../observe/log-file';

export type FaultKind = 'uncaught exception' | 'unhandled rejection';

export interface ProcessFault {
  kind: FaultKind;
  /** The error's first line ("TypeError: x is undefined"). */
  message: string;
  /** The day's log file that has the whole of it; undefined when no appliance logged it (not started). */
  logFile: string | undefined;
}

export interface FaultPolicy {
  /** Where the faults are reported: `process` (a test gives an emitter of its own). */
  target: NodeJS.EventEmitter;
  /** The data folder, whose logs/<day>/ has the log file. */
  dataDir: string;
  /** The appliance's logger, once there is one (before it, stderr only). */
  logger(): Logger | undefined;
  /** The first fault: stop the appliance the usual way and exit non-zero. Called once. */
  stop(fault: ProcessFault): void;
  now?: () => number;
}

function stackOf(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return `${typeof err === 'string' ? err : String(err as object)} (thrown, not an Error)`;
}

/** Reports uncaught exceptions and unhandled rejections per the policy; returns the undo. */
export function onProcessFault(policy: FaultPolicy): () => void {
  let faulted = false;
  const handler =
    (kind: FaultKind) =>
    (err: unknown): void => {
      const stack = stackOf(err);
      const message = stack.split('\n')[0]!;
      const logger = policy.logger();
      const text = faulted
        ? `another ${kind} while stopping: ${stack}`
        : `${kind} (a defect of IMS Lab): stopping: ${stack}`;
      if (logger === undefined) process.stderr.write(`ims-lab: ${text}\n`);
      else {
        logger.for('process').error(text);
        logger.flushSync(); // now: the process may not live to the next batch
      }
      if (faulted) return;
      faulted = true;
      const day = localStamp((policy.now ?? Date.now)()).day;
      policy.stop({
        kind,
        message,
        logFile: logger === undefined ? undefined : logFileOf(policy.dataDir, day),
      });
    };
  const uncaught = handler('uncaught exception');
  const unhandled = handler('unhandled rejection');
  policy.target.on('uncaughtException', uncaught);
  policy.target.on('unhandledRejection', unhandled);
  return () => {
    policy.target.off('uncaughtException', uncaught);
    policy.target.off('unhandledRejection', unhandled);
  };
}
