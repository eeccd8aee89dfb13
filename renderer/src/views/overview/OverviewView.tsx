// The Overview: registered users, live calls, calls/s, messages/s, CPU, memory, uptime, parse and auth
// errors, each live with a sparkline of the last minutes. Counts come from the status snapshot, read
// again on each perf sample (once a second); the sparklines from the perf samples the server keeps (ten
// minutes), so that they show what happened before the view was opened. Its buttons run the same MML
// commands a person would type.
import { useCallback, useEffect, useState } from 'react';
import type { PerfSampleData, SnapshotResults } from '../../../../core/control/contract';
import { addressPort } from '../../../../core/address-port';
import { Chart, type ChartColor } from '../../components/Chart';
import {
  AskedConfirmation,
  type Confirmation,
  ErrorState,
  Loading,
  OutcomeLine,
  ViewFrame,
  useMmlAction,
} from '../../components/common';
import { formatUptime } from '../../components/uptime';
import { useClient, useT } from '../../store/shell';
import { followPerf } from '../performance/follow';
import { spread } from '../performance/spread';
import { usePerf } from '../performance/store';

const SPARK = 180; // samples in a sparkline: the last 3 minutes
const MB = 1024 * 1024;

type Status = SnapshotResults['status'];

const average = (values: number[]): number =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

export default function OverviewView() {
  const t = useT();
  const client = useClient();
  const samples = usePerf((s) => s.samples);
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirmation | null>(null);
  const [outcome, run] = useMmlAction();

  const loadStatus = useCallback(() => {
    client.snapshot('status').then(
      (s) => {
        setStatus(s);
        setError(null);
      },
      (err: Error) => setError(err.message),
    );
  }, [client]);

  useEffect(() => followPerf(client), [client]);
  useEffect(loadStatus, [loadStatus, samples.length === 0 ? 0 : samples[samples.length - 1]!.at]);

  const recent = samples.slice(-SPARK);
  const last = recent[recent.length - 1];
  const spark = (pick: (s: PerfSampleData) => number) => ({
    times: recent.map((s) => s.at / 1000),
    values: recent.map(pick),
  });

  const tiles: {
    label: string;
    value: string;
    data?: { times: number[]; values: number[] };
    color?: ChartColor;
    /** Decimals of the sparkline's values in words. */
    digits?: number;
  }[] =
    status === null
      ? []
      : [
          {
            label: t('overview.aors'),
            value: String(status.aors),
            data: spark((s) => s.live.aors),
            color: 'teal',
          },
          {
            label: t('overview.bindings'),
            value: String(status.bindings),
            data: spark((s) => s.live.bindings),
            color: 'teal',
          },
          {
            label: t('overview.calls'),
            value: String(status.calls),
            data: spark((s) => s.live.calls),
            color: 'blue',
          },
          {
            label: t('overview.callsPerSecond'),
            digits: 1,
            // The server's samples (calls started each second, kept 10 minutes): the last 5 s averaged.
            value: last ? average(recent.slice(-5).map((s) => s.calls.startedPerSecond)).toFixed(1) : '—',
            data: spark((s) => s.calls.startedPerSecond),
            color: 'blue',
          },
          {
            label: t('overview.messagesPerSecond'),
            digits: 1,
            value: last ? last.messages.inPerSecond.toFixed(1) : '—',
            data: spark((s) => s.messages.inPerSecond),
            color: 'teal',
          },
          {
            label: t('overview.cpu'),
            digits: 1,
            value: last ? `${last.cpu.percent.toFixed(1)} %` : '—',
            data: spark((s) => s.cpu.percent),
            color: 'amber',
          },
          {
            label: t('overview.memory'),
            value: last ? `${(last.memory.rss / MB).toFixed(0)} MB` : '—',
            data: spark((s) => s.memory.rss / MB),
            color: 'violet',
          },
          {
            label: t('overview.uptime'),
            value: formatUptime(status.uptimeSeconds, (n, time) => t('overview.uptimeDays', { n, time })),
          },
          {
            label: t('overview.parseErrors'),
            value: String(status.messages.parseErrors),
            data: spark((s) => s.messages.parseErrorsPerSecond),
            color: 'red',
          },
          {
            label: t('overview.authFailures'),
            value: String(status.messages.authFailures),
            data: spark((s) => s.live.authFailures),
            color: 'red',
          },
          { label: t('overview.users'), value: String(status.users) },
          {
            label: t('overview.server'),
            value:
              status.serverIp === '' ? `—:${status.udpPort}` : addressPort(status.serverIp, status.udpPort),
          },
        ];

  // A sparkline's text alternative is its numbers in words, as under the Performance charts (WCAG 1.1.1):
  // "CPU now 1.1, min 0.4, max 16.9 (over the last 93 s)", not its tile's title again.
  const seconds = recent.length > 1 ? Math.round((recent[recent.length - 1]!.at - recent[0]!.at) / 1000) : 0;
  const span =
    seconds < 120 ? t('perf.spanS', { n: seconds }) : t('perf.spanMin', { n: Math.round(seconds / 60) });
  const sparkText = (label: string, values: readonly number[], digits: number): string => {
    const { now, min, max } = spread(values);
    const words = (n: number | null) => (n === null ? '—' : n.toFixed(digits));
    const text = t('perf.seriesSummary', { label, now: words(now), min: words(min), max: words(max) });
    return recent.length > 1 ? `${text} (${t('perf.over', { span })})` : text;
  };

  return (
    <ViewFrame
      title={t('view.overview')}
      code="OVW"
      toolbar={
        // A group, so that its name is said: a div without a role is "generic", on which WAI-ARIA 1.2
        // prohibits aria-label (screen readers ignore it).
        <div className="toolbar" role="group" aria-label={t('overview.actions')}>
          <button
            type="button"
            className="btn btn-danger"
            // The question names how many CLR REG removes: asked once the status has said.
            disabled={status === null}
            onClick={() =>
              setConfirm({
                title: 'overview.clearRegs',
                text: 'overview.clearRegsConfirm',
                vars: { n: status?.bindings ?? 0 },
                command: 'CLR REG:CONFIRM=YES',
              })
            }
          >
            {t('overview.clearRegs')}
          </button>
          <button
            type="button"
            className="btn btn-danger"
            onClick={() =>
              setConfirm({
                title: 'overview.clearCalls',
                text: 'overview.clearCallsConfirm',
                command: 'CLR CALL:CONFIRM=YES',
              })
            }
          >
            {t('overview.clearCalls')}
          </button>
        </div>
      }
    >
      <OutcomeLine outcome={outcome} />
      {error && <ErrorState message={error} onRetry={loadStatus} />}
      {status === null && !error && <Loading />}
      <div className="tiles">
        {tiles.map((tile) => (
          <section key={tile.label} className="tile" aria-label={tile.label}>
            <div className="tile-label">{tile.label}</div>
            <div
              className={`tile-value${tile.value.length > 12 ? ' tile-value-long' : ''}`}
              data-testid={`tile-${tile.label}`}
            >
              {tile.value}
            </div>
            {tile.data ? (
              <Chart
                spark
                label={sparkText(tile.label, tile.data.values, tile.digits ?? 0)}
                times={tile.data.times}
                series={[{ label: tile.label, color: tile.color ?? 'teal', values: tile.data.values }]}
                height={36}
              />
            ) : (
              <div className="spark" />
            )}
          </section>
        ))}
      </div>
      <AskedConfirmation confirm={confirm} run={run} onClose={() => setConfirm(null)} />
    </ViewFrame>
  );
}
