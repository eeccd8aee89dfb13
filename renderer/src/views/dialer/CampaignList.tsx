// The campaigns the dialer keeps (the last 100, across restarts: DSP DIALSVC's list), newest first: each
// with its state, progress, ASR, start and Note, and a button that shows its summary in the progress
// card. README: "DSP DIALSVC and the Dialer view still list the last 100 campaigns after a restart".
import { DataTable, type Column } from '../../components/DataTable';
import { clockTime } from '../../components/local-time';
import { useShell, useT } from '../../store/shell';
import { zhDialerReason } from '../../../../core/dialer/reason-zh';
import { asrText, type SeenCampaign } from './store';

export function CampaignList({
  campaigns,
  shown,
  pick,
}: {
  /** Oldest first, as the view holds them. */
  campaigns: readonly SeenCampaign[];
  /** The campaign the progress card shows. */
  shown: string | undefined;
  pick: (id: string) => void;
}) {
  const t = useT();
  const lang = useShell((s) => s.lang);
  const rows = [...campaigns].reverse();
  const columns: Column<SeenCampaign>[] = [
    { key: 'id', header: t('dialer.campaignCol'), cell: (c) => c.id, width: '90px' },
    {
      key: 'state',
      header: t('dialer.campaignState'),
      cell: (c) => t(`dialer.cstate.${c.state}`),
      width: '90px',
    },
    {
      key: 'placed',
      header: t('dialer.placedOfTotal'),
      className: 'num',
      width: '110px',
      cell: (c) => `${c.figures.placed} / ${c.total}`,
    },
    { key: 'asr', header: t('dialer.asr'), className: 'num', width: '80px', cell: (c) => asrText(c.figures) },
    { key: 'started', header: t('dialer.startedAt'), width: '90px', cell: (c) => clockTime(c.startedAt) },
    {
      key: 'note',
      header: t('dialer.note'),
      cell: (c) => (c.note === undefined ? '' : lang === 'zh' ? zhDialerReason(c.note) : c.note),
    },
    {
      key: 'show',
      header: '',
      width: '90px',
      pinned: true,
      cell: (c) => (
        <button
          type="button"
          className="btn btn-small"
          aria-label={t('dialer.showCampaign', { id: c.id })}
          aria-pressed={c.id === shown}
          onClick={() => pick(c.id)}
        >
          {t('dialer.show')}
        </button>
      ),
    },
  ];
  return (
    <DataTable
      label={t('dialer.campaigns')}
      columns={columns}
      rows={rows}
      rowKey={(c) => c.id}
      selectedKey={shown ?? null}
      // Its header and five rows (28 px) at least: squeezed by the form, the progress card and the calls
      // table below, it kept 58 px at 1366x820, a header and one row cut in half; the view scrolls instead.
      height="11rem"
      minHeight="11rem"
      empty={t('dialer.noCampaign')}
      // Its headers wrap ("Placed / total" was cut), as the calls table's do.
      compact
    />
  );
}
