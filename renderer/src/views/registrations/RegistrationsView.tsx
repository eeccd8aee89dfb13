// Live registrations: AOR, contact (and the device, when the phone names it, and its q), source address
// (and the edge proxy of a Path), transport, expiry counting down, user agent.
// Remove one contact or all registrations with a confirmation; the buttons run RMV REG / CLR REG.
import { useEffect, useMemo, useState } from 'react';
import type { BindingData } from '../../../../core/control/contract';
import { followLive } from '../../api/live';
import { addressPort } from '../../../../core/address-port';
import { mml } from '../../api/mml-text';
import { instanceOf, publicGruu } from '../../../../core/sip/registrar/instance';
import { DataTable, type Column } from '../../components/DataTable';
import { useChanges } from '../../components/use-changes';
import {
  AskedConfirmation,
  type Confirmation,
  ErrorState,
  formatDuration,
  Loading,
  OutcomeLine,
  Pager,
  RowAction,
  SearchField,
  useMmlAction,
  useSettled,
  useTick,
  ViewFrame,
} from '../../components/common';
import { useClient, useT } from '../../store/shell';
import { keyOf, useRegistrations } from './store';
import { registrationsCount } from './count';
import { PeerSpan, peerText, peerTitle } from '../../components/peer-text';

/** The host[:port] of a Path value (<sip:pcscf@10.0.0.5:5060;lr> gives 10.0.0.5:5060): where calls go. */
function hostPort(value: string): string {
  return /sips?:(?:[^@>;]*@)?(\[[^\]]+\](?::\d+)?|[^;>?]+)/i.exec(value)?.[1] ?? value;
}

/** Bindings loaded at once; beyond it the pager goes through the server's list. */
const PAGE = 1000;
/** A search is sent to the server once typing pauses. */
const SEARCH_PAUSE_MS = 250;

/** The fixed columns (636 px) and about 170 px each for the contact and the user agent. */
const REGS_MIN_WIDTH = '980px';

export default function RegistrationsView() {
  const t = useT();
  const client = useClient();
  const { bindings, total, all, offset, loaded, error, search, found, setSearch, setOffset } =
    useRegistrations();
  const [confirm, setConfirm] = useState<Confirmation | null>(null);
  const [outcome, run] = useMmlAction();
  const now = useTick(1000);
  const asked = useSettled(search.trim(), SEARCH_PAUSE_MS);
  // Where phones register, for the empty list's words (a new user's first step is registering one).
  const [sipAddress, setSipAddress] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.snapshot('status').then(
      (st) => {
        if (live && st.serverIp !== '') setSipAddress(addressPort(st.serverIp, st.udpPort));
      },
      () => undefined, // the words without the address
    );
    return () => {
      live = false;
    };
  }, [client]);

  // SET CFG SIP.DOMAIN files every binding under its new canonical AOR, with no registration event (no
  // phone registered): the page is read again.
  const [domainChanges, setDomainChanges] = useState(0);
  useChanges('config', (events) => {
    if (events.some((e) => e.type === 'changed' && e.keys.includes('SIP.DOMAIN')))
      setDomainChanges((n) => n + 1);
  });

  // The server searches all its bindings and gives a page (it held thousands the console never had);
  // the events keep that page live.
  useEffect(() => {
    const st = useRegistrations.getState();
    const query = { offset, limit: PAGE, ...(asked === '' ? {} : { search: asked }) };
    return followLive(client, {
      topic: 'registration',
      load: () => client.snapshot('registrations', query),
      reset: (snap) => st.reset(snap, asked),
      apply: st.apply,
      failed: (e) => st.fail(e.message),
    });
  }, [client, asked, offset, domainChanges]);

  const rows = useMemo(
    () =>
      [...bindings.values()].sort((a, b) => a.aor.localeCompare(b.aor) || a.contact.localeCompare(b.contact)),
    [bindings],
  );

  // The AOR, the source address and the short columns take what they need; the contact and the user
  // agent (each with its whole text as a tooltip) share the rest, and below REGS_MIN_WIDTH the table
  // scrolls sideways with the Remove button pinned in view.
  const columns: Column<BindingData>[] = [
    { key: 'aor', header: t('regs.aor'), cell: (b) => b.aor, width: '190px' },
    {
      key: 'contact',
      header: t('regs.contact'),
      // A phone that names its device (+sip.instance, RFC 5626): one binding per device, and the public
      // GRUU (RFC 5627) that reaches that device only. A contact registered with a q (RFC 3261
      // §10.2.1.2), which SEQUENTIAL forking orders by, says it on the same line.
      cell: (b) => {
        const device = instanceOf(b.contactParams ?? '');
        if (device === undefined && b.q === undefined) return <PeerSpan text={b.contact} />;
        const notes = [
          ...(device === undefined ? [] : [t('regs.device', { id: device })]),
          ...(b.q === undefined ? [] : [t('regs.q', { q: String(b.q) })]),
        ];
        const title = [
          b.contact,
          ...(device === undefined ? [] : [`+sip.instance: ${device}`, `GRUU: ${publicGruu(b.aor, device)}`]),
          ...(b.q === undefined ? [] : [`q: ${b.q}`]),
        ];
        return (
          <span title={peerTitle(title.join('\n'))}>
            {peerText(b.contact)}
            <br />
            <span className="dim">{notes.join(' · ')}</span>
          </span>
        );
      },
      className: 'mono',
    },
    {
      key: 'source',
      header: t('regs.source'),
      // Registered through an edge proxy (RFC 3327 Path): requests for it go there first.
      cell: (b) => {
        const at = addressPort(b.sourceAddress, b.sourcePort);
        return b.path === undefined || b.path.length === 0 ? (
          <span title={at}>{at}</span>
        ) : (
          <span title={`${at}\nPath: ${b.path.join(', ')}`}>
            {at}
            <br />
            <span className="dim">{t('regs.via', { hop: hostPort(b.path[0]!) })}</span>
          </span>
        );
      },
      width: '170px', // 255.255.255.255:65535 whole (a long IPv6 one is cut, whole in its tooltip)
      className: 'mono',
    },
    { key: 'transport', header: t('regs.transport'), cell: (b) => b.transport, width: '96px' },
    {
      key: 'expires',
      header: t('regs.expires'),
      cell: (b) => {
        const left = (b.expiresAt - now) / 1000;
        return left > 0 ? formatDuration(left) : t('regs.expired');
      },
      width: '90px',
      className: 'num',
    },
    { key: 'ua', header: t('regs.userAgent'), cell: (b) => <PeerSpan text={b.userAgent} /> },
    {
      key: 'actions',
      header: t('users.actions'),
      width: '90px',
      pinned: true,
      cell: (b) => (
        <span className="cell-actions">
          <RowAction
            label={t('regs.remove')}
            subject={`${b.aor} (${b.contact})`}
            danger
            onClick={() =>
              // The row's own contact (RMV REG URI= takes a contact URI): another phone of the AOR stays.
              setConfirm({
                title: 'regs.removeTitle',
                text: 'regs.removeConfirm',
                vars: { aor: b.aor, contact: b.contact },
                command: mml('RMV REG', { URI: b.contact, CONFIRM: 'YES' }),
              })
            }
          />
        </span>
      ),
    },
  ];

  return (
    <ViewFrame
      title={t('view.registrations')}
      code="REG"
      toolbar={
        <div className="toolbar">
          <SearchField
            label={t('regs.searchLabel')}
            placeholder={t('common.search')}
            value={search}
            onChange={setSearch}
          />
          {/* Not a live region: under a REGISTER load it changed (and was read out) many times a second.
              What a search found is said once, below. */}
          <span className="dim">
            {loaded &&
              registrationsCount(t, { shown: rows.length, offset, total, all, searching: asked !== '' })}
          </span>
          <button
            type="button"
            className="btn btn-danger"
            // CLR REG removes every binding, whatever the search: enabled when any exists, and its question
            // names how many it removes.
            disabled={all === 0}
            onClick={() =>
              setConfirm({
                title: 'overview.clearRegs',
                text: 'regs.removeAllConfirm',
                vars: { n: all },
                command: 'CLR REG:CONFIRM=YES',
              })
            }
          >
            {t('regs.removeAll')}
          </button>
        </div>
      }
    >
      <OutcomeLine outcome={outcome} />
      <div className="visually-hidden" role="status">
        {found === null ? '' : t('regs.found', { n: found })}
      </div>
      {error && <ErrorState message={error} />}
      {(offset > 0 || total > PAGE) && (
        <Pager offset={offset} size={PAGE} total={total} onOffset={setOffset} />
      )}
      {!loaded && !error ? (
        <Loading />
      ) : (
        <>
          <DataTable
            label={t('view.registrations')}
            columns={columns}
            rows={rows}
            rowKey={keyOf}
            minWidth={REGS_MIN_WIDTH}
            empty={
              asked !== ''
                ? t('regs.noMatch')
                : sipAddress === null
                  ? t('regs.noneHere')
                  : t('regs.none', { address: sipAddress })
            }
          />
        </>
      )}
      <AskedConfirmation confirm={confirm} run={run} onClose={() => setConfirm(null)} />
    </ViewFrame>
  );
}
