// Charts of CPU, memory, network, SIP messages/s and the event loop's delay over the last 10 minutes (the perf topic, one
// sample a second), each with its current values.
import { useEffect } from 'react';
import { Chart, type ChartColor } from '../../components/Chart';
import { ErrorState, Loading, ViewFrame } from '../../components/common';
import { useClient, useT } from '../../store/shell';
import { followPerf } from './follow';
import { spread } from './spread';
import { columns, usePerf } from './store';

const MB = 1024 * 1024;
const round = (n: number | null | undefined, d = 1) => (n === null || n === undefined ? '—' : n.toFixed(d));

export default function PerformanceView() {
  const t = useT();
  const client = useClient();
  const { samples, loaded, error } = usePerf();
  useEffect(() => followPerf(client), [client]);
  const last = samples[samples.length - 1];
  // How long the samples reach back (up to the 10-minute window).
  const seconds = samples.length > 1 ? Math.round((last!.at - samples[0]!.at) / 1000) : 0;
  const span =
    seconds < 120 ? t('perf.spanS', { n: seconds }) : t('perf.spanMin', { n: Math.round(seconds / 60) });

  const peak = Math.max(
    0,
    ...samples.map((s) =>
      Math.max(s.network.host?.rxBytesPerSecond ?? 0, s.network.host?.txBytesPerSecond ?? 0),
    ),
  );
  const net =
    peak > 10 * 1024 * 1024 ? { unit: 'MB/s', divisor: 1024 * 1024 } : { unit: 'KB/s', divisor: 1024 };
  const charts: {
    title: string;
    now: string;
    digits?: number;
    series: { label: string; color: ChartColor; pick: (s: (typeof samples)[number]) => number | null }[];
  }[] = [
    {
      title: t('perf.cpu'),
      now: last ? `${round(last.cpu.percent)} %` : '—',
      series: [{ label: 'CPU %', color: 'teal', pick: (s: (typeof samples)[number]) => s.cpu.percent }],
    },
    {
      title: t('perf.memory'),
      now: last ? `${round(last.memory.rss / MB, 0)} MB` : '—',
      digits: 0,
      series: [
        { label: t('perf.rss'), color: 'blue', pick: (s: (typeof samples)[number]) => s.memory.rss / MB },
        {
          label: t('perf.heap'),
          color: 'amber',
          pick: (s: (typeof samples)[number]) => s.memory.heapUsed / MB,
        },
      ],
    },
    {
      // The host's interfaces (/proc/net/dev), all traffic: in KB/s, or MB/s once it peaks above 10 MB/s.
      title: t('perf.network', { unit: net.unit }),
      now: last?.network.host
        ? `${t('perf.rx')} ${round(last.network.host.rxBytesPerSecond / net.divisor)} / ` +
          `${t('perf.tx')} ${round(last.network.host.txBytesPerSecond / net.divisor)}`
        : '—',
      series: [
        {
          label: t('perf.rx'),
          color: 'green',
          pick: (s: (typeof samples)[number]) =>
            s.network.host ? s.network.host.rxBytesPerSecond / net.divisor : null,
        },
        {
          label: t('perf.tx'),
          color: 'red',
          pick: (s: (typeof samples)[number]) =>
            s.network.host ? s.network.host.txBytesPerSecond / net.divisor : null,
        },
      ],
    },
    {
      title: t('perf.messages'),
      now: last
        ? `${t('perf.in')} ${round(last.messages.inPerSecond)} / ${t('perf.out')} ${round(last.messages.outPerSecond)}`
        : '—',
      series: [
        {
          label: t('perf.in'),
          color: 'teal',
          pick: (s: (typeof samples)[number]) => s.messages.inPerSecond,
        },
        {
          label: t('perf.out'),
          color: 'violet',
          pick: (s: (typeof samples)[number]) => s.messages.outPerSecond,
        },
      ],
    },
    {
      // The proxy's own latency: every message waits at least this long (DSP PERF TYPE=LOOP).
      title: t('perf.loop'),
      now: last
        ? `p99 ${round(last.eventLoop.p99Ms)} / ${t('perf.loopMax')} ${round(last.eventLoop.maxMs)} ms`
        : '—',
      series: [
        { label: 'p50', color: 'teal', pick: (s: (typeof samples)[number]) => s.eventLoop.p50Ms },
        { label: 'p99', color: 'amber', pick: (s: (typeof samples)[number]) => s.eventLoop.p99Ms },
        {
          label: t('perf.loopMax'),
          color: 'red',
          pick: (s: (typeof samples)[number]) => s.eventLoop.maxMs,
        },
      ],
    },
    {
      // Whether a stall was the collector's: the time it held the loop, each second (DSP PERF TYPE=LOOP).
      title: t('perf.gc'),
      now: last
        ? `${t('perf.gcYoung')} ${round(last.gc.young.pauseMs)} / ${t('perf.gcFull')} ${round(last.gc.full.pauseMs)} ms`
        : '—',
      series: [
        {
          label: t('perf.gcYoung'),
          color: 'teal',
          pick: (s: (typeof samples)[number]) => s.gc.young.pauseMs,
        },
        {
          label: t('perf.gcFull'),
          color: 'red',
          pick: (s: (typeof samples)[number]) => s.gc.full.pauseMs,
        },
      ],
    },
  ];

  return (
    <ViewFrame title={t('view.performance')} code="PRF" focusable>
      {error && <ErrorState message={error} />}
      {!loaded && !error && <Loading />}
      {loaded && samples.length === 0 && <div className="state-msg">{t('perf.waiting')}</div>}
      <div className="charts">
        {charts.map((c, i) => {
          const cols = columns(
            samples,
            c.series.map((s) => s.pick),
          );
          return (
            <section key={c.title} className="chart-box" aria-label={c.title}>
              <h3>
                {c.title}
                <span className="chart-now">
                  {t('perf.now')}: {c.now}
                </span>
              </h3>
              {/* The chart in words, shown: what a canvas cannot tell a screen reader, nor anyone without hovering. */}
              <p className="chart-summary" id={`chart-summary-${i}`}>
                {c.series
                  .map((s, j) => {
                    const { now, min, max } = spread(cols.values[j]!);
                    const d = c.digits ?? 1;
                    return t('perf.seriesSummary', {
                      label: s.label,
                      now: round(now, d),
                      min: round(min, d),
                      max: round(max, d),
                    });
                  })
                  .join('; ')}
                {samples.length > 1 && ` (${t('perf.over', { span })})`}
              </p>
              <Chart
                describedBy={`chart-summary-${i}`}
                label={c.title}
                times={cols.times}
                series={c.series.map((s, i) => ({ label: s.label, color: s.color, values: cols.values[i]! }))}
                height={180}
              />
            </section>
          );
        })}
      </div>
    </ViewFrame>
  );
}
