// GET /metrics: the appliance's counters and gauges in Prometheus text format (core/observe/metrics.ts).
import type { Appliance } from '../appliance';
import { prometheusText, serverStatus } from '../observe/metrics';
import { writerFigures } from '../observe/writer-figures';

export function applianceMetrics(a: Appliance): string {
  return prometheusText({
    counters: a.counters,
    status: serverStatus(a),
    eventLoop: a.perf.latest()?.eventLoop,
    eventLoopTotals: a.perf.loopTotals(),
    gc: a.perf.gcTotals(),
    replies: a.transport.replies,
    writers: writerFigures(a.cdrRecorder, a.trace),
  });
}
