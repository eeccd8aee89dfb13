// Charts of CPU, memory, network, SIP messages/s and the event loop's delay over the last 10 minutes (the perf topic, one
// sample a second), each with its current values.
import { useEffect } from 'react';
import { Chart, type ChartColor } from '../../components/Chart';
import { ErrorState, Loading, ViewFrame } from '../../components/common';
import { useClient, useT } from '../../store/shell';
import { followPerf } from './follow';
import { spread } from './spread';
import { valueWithUnit, type ValueUnit } from '../../components/value-unit';
import { columns, usePerf } from './store';

const MB = 1024 * 1024;

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
  // Each chart's values are written one way (decimals and unit) in its Now, its legend and its words.
  const pct = { digits: 1, unit: '%' };
  const mb = { digits: 0, unit: 'MB' };
  const rate = { digits: 1, unit: net.unit };
  const msgs = { digits: 1, unit: t('perf.perSecond') };
  const ms = { digits: 1, unit: 'ms' };
  const charts: {
    title: string;
    now: string;
    unit: ValueUnit;
    series: { label: string; color: ChartColor; pick: (s: (typeof samples)[number]) => number | null }[];
  }[] = [
    {
      title: t('perf.cpu'),
      now: last ? valueWithUnit(last.cpu.percent, pct) : '—',
      unit: pct,
      series: [{ label: 'CPU %', color: 'teal', pick: (s: (typeof samples)[number]) => s.cpu.percent }],
    },
    {
      title: t('perf.memory'),
      now: last ? valueWithUnit(last.memory.rss / MB, mb) : '—',
      unit: mb,
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
        ? `${t('perf.rx')} ${valueWithUnit(last.network.host.rxBytesPerSecond / net.divisor, rate)} / ` +
          `${t('perf.tx')} ${valueWithUnit(last.network.host.txBytesPerSecond / net.divisor, rate)}`
        : '—',
      unit: rate,
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
        ? `${t('perf.in')} ${valueWithUnit(last.messages.inPerSecond, msgs)} / ` +
          `${t('perf.out')} ${valueWithUnit(last.messages.outPerSecond, msgs)}`
        : '—',
      unit: msgs,
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
        ? `p99 ${valueWithUnit(last.eventLoop.p99Ms, ms)} / ${t('perf.loopMax')} ${valueWithUnit(last.eventLoop.maxMs, ms)}`
        : '—',
      unit: ms,
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
        ? `${t('perf.gcYoung')} ${valueWithUnit(last.gc.young.pauseMs, ms)} / ${t('perf.gcFull')} ${valueWithUnit(last.gc.full.pauseMs, ms)}`
        : '—',
      unit: ms,
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
                    return t('perf.seriesSummary', {
                      label: s.label,
                      now: valueWithUnit(now, c.unit),
                      min: valueWithUnit(min, c.unit),
                      max: valueWithUnit(max, c.unit),
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
                unit={c.unit}
              />
            </section>
          );
        })}
      </div>
    </ViewFrame>
  );
}
