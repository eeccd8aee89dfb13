// Live calls: parties, state, duration ticking, codecs, user agents. End a call (RMV CALL) with a
// confirmation. A call stays a few seconds after it ends, marked as ended.
import { useEffect, useMemo, useState } from 'react';
import { followLive } from '../../api/live';
import { mml } from '../../api/mml-text';
import { DataTable, type Column } from '../../components/DataTable';
import { clockTime } from '../../components/local-time';
import {
  ConfirmDialog,
  ErrorState,
  Loading,
  OutcomeLine,
  RowAction,
  useMmlAction,
  useTick,
  ViewFrame,
} from '../../components/common';
import { useClient, useT } from '../../store/shell';
import { durationText, useCalls, type CallRow } from './store';
import { showTrace } from '../trace/store';
import { callCount } from './count';
import { stateLabel } from './state-label';
import { PeerSpan } from '../../components/peer-text';

const STATE_TAG: Record<string, string> = {
  calling: 'tag-warn',
  ringing: 'tag-warn',
  answered: 'tag-ok',
  ended: '',
  failed: 'tag-bad',
  cancelled: 'tag-bad',
};

/** The fixed columns (780 px) and about 150 px each for the user agents and the Call-ID. */
const CALLS_MIN_WIDTH = '1090px';

export default function CallsView() {
  const t = useT();
  const client = useClient();
  const { calls, loaded, error } = useCalls();
  const [confirm, setConfirm] = useState<CallRow | null>(null);
  const [outcome, run] = useMmlAction();
  const now = useTick(1000);

  useEffect(() => {
    const st = useCalls.getState();
    return followLive(client, {
      topic: 'call',
      load: () => client.snapshot('calls'),
      reset: st.reset,
      apply: st.apply,
      failed: (e) => st.fail(e.message),
    });
  }, [client]);

  useEffect(() => useCalls.getState().prune(performance.now()), [now]);

  const rows = useMemo(
    () => [...calls.values()].sort((a, b) => b.call.startedAt - a.call.startedAt),
    [calls],
  );

  // Numbers, state, duration, codecs and the actions take what they need; the user agents and the
  // Call-ID (the long ones, each with its whole text as a tooltip) share the rest, and below
  // CALLS_MIN_WIDTH the table scrolls sideways with the actions pinned in view.
  const columns: Column<CallRow>[] = [
    {
      key: 'caller',
      header: t('calls.caller'),
      cell: (r) => r.call.caller.number || r.call.caller.uri,
      width: '110px',
    },
    {
      key: 'callee',
      header: t('calls.callee'),
      cell: (r) => r.call.callee.number || r.call.callee.uri,
      width: '110px',
    },
    {
      key: 'state',
      header: t('calls.state'),
      // Room for the longest state whole ("on hold (callee)"); a longer one ends in an ellipsis, its
      // whole text in its tooltip.
      width: '150px',
      cell: (r) => {
        const state = stateLabel(r.call, r.endedAt !== undefined, t);
        return (
          <span
            className={`tag ${r.endedAt !== undefined ? '' : (STATE_TAG[r.call.state] ?? '')}`}
            title={state.title}
          >
            {state.text}
          </span>
        );
      },
    },
    {
      key: 'duration',
      header: t('calls.duration'),
      width: '90px',
      className: 'num',
      cell: (r) => durationText(r, performance.now(), now),
    },
    { key: 'codecs', header: t('calls.codecs'), cell: (r) => r.call.media.codecs.join(', '), width: '110px' },
    {
      key: 'ua',
      header: t('calls.userAgents'),
      cell: (r) => {
        const s = `${r.call.caller.userAgent || '—'} → ${r.call.callee.userAgent || '—'}`;
        return <PeerSpan text={s} />;
      },
    },
    {
      key: 'callid',
      header: 'Call-ID',
      cell: (r) => <PeerSpan text={r.call.callId} />,
      className: 'mono',
    },
    {
      key: 'actions',
      header: t('users.actions'),
      width: '210px',
      pinned: true,
      cell: (r) => (
        <span className="cell-actions">
          <RowAction
            label={t('trace.show')}
            subject={r.call.callId}
            onClick={() => showTrace(r.call.callId)}
          />
          {r.endedAt === undefined && (
            <RowAction label={t('calls.end')} subject={r.call.callId} danger onClick={() => setConfirm(r)} />
          )}
        </span>
      ),
    },
  ];

  return (
    <ViewFrame
      title={t('view.calls')}
      code="CAL"
      toolbar={
        <span className="dim">
          {callCount(t, rows.filter((r) => r.endedAt === undefined).length, rows.length)}
        </span>
      }
    >
      <OutcomeLine outcome={outcome} />
      {error && <ErrorState message={error} />}
      {!loaded && !error ? (
        <Loading />
      ) : (
        <>
          <DataTable
            label={t('view.calls')}
            columns={columns}
            rows={rows}
            rowKey={(r) => r.call.id}
            minWidth={CALLS_MIN_WIDTH}
            rowClass={(r) => (r.endedAt !== undefined ? 'row-ended' : '')}
            empty={t('calls.none')}
          />
        </>
      )}
      {confirm && (
        <ConfirmDialog
          title={t('calls.end')}
          text={t('calls.endConfirm', {
            caller: confirm.call.caller.number || confirm.call.caller.uri,
            callee: confirm.call.callee.number || confirm.call.callee.uri,
            // Every call of a SIPp run or a campaign has the same parties: which one is said too.
            callId: confirm.call.callId,
            time: clockTime(confirm.call.startedAt),
          })}
          onConfirm={() => void run(mml('RMV CALL', { CALLID: confirm.call.callId, CONFIRM: 'YES' }))}
          onClose={() => setConfirm(null)}
        />
      )}
    </ViewFrame>
  );
}
