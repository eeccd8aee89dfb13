// The CDR view's filters: day, type, state, and the typed ones (caller, callee, Call-ID), which the list
// follows once typing pauses, not at each key. The new fields' accessible names are English in every
// language ("Callee", "Call-ID", "State": what tests and screen-reader users look for); what they show
// is in the console's language.
import { useEffect, useRef, useState } from 'react';
import { CDR_CALL_STATES } from '../../../../core/cdr/record';
import { zhCdrState } from '../../../../core/mml/zh-cdr-reasons';
import { DateField, SearchField, useSettled } from '../../components/common';
import { useShell, useT } from '../../store/shell';
import type { CdrFilters } from './store';

const TYPES = ['CALL', 'REGISTER', 'UNREGISTER', 'MESSAGE', 'OPTIONS'];

/** How long typing pauses before the list follows a typed filter (as Trace's filters). */
export const TYPING_PAUSE_MS = 300;

/**
 * A typed filter: the field shows what is typed at once; the filter takes it once typing pauses, or
 * when the view closes first (the last keys are not lost).
 */
function TypedFilter({
  shown,
  label,
  placeholder,
  title,
  value,
  onSettled,
  className,
}: {
  /** The visible label, in the console's language. */
  shown: string;
  /** The accessible name. */
  label: string;
  placeholder: string;
  title: string;
  value: string;
  onSettled: (value: string) => void;
  className: string;
}) {
  const [draft, setDraft] = useState(value);
  const settled = useSettled(draft, TYPING_PAUSE_MS);
  // What the filter holds as this field last saw it: a change from elsewhere replaces the draft.
  const applied = useRef(value);
  const latest = useRef({ draft, onSettled });
  useEffect(() => {
    latest.current = { draft, onSettled };
  }, [draft, onSettled]);
  useEffect(() => {
    if (settled === applied.current) return;
    applied.current = settled;
    onSettled(settled);
  }, [settled, onSettled]);
  useEffect(() => {
    if (value === applied.current) return;
    applied.current = value;
    setDraft(value);
  }, [value]);
  useEffect(
    () => () => {
      const { draft: last, onSettled: settle } = latest.current;
      if (last !== applied.current) settle(last);
    },
    [],
  );
  return (
    <label>
      {shown}
      <SearchField
        label={label}
        placeholder={placeholder}
        title={title}
        value={draft}
        onChange={setDraft}
        className={className}
      />
    </label>
  );
}

export function CdrFilterFields({
  filters,
  setFilters,
}: {
  filters: CdrFilters;
  setFilters: (f: Partial<CdrFilters>) => void;
}) {
  const t = useT();
  const lang = useShell((s) => s.lang);
  // Two groups that wrap as wholes: what kind of records, and whose (at 1,024 px, one line each).
  return (
    <>
      <span className="toolbar">
        <DateField label={t('cdr.date')} value={filters.date} onChange={(date) => setFilters({ date })} />
        <label>
          {t('cdr.type')}
          <select
            aria-label={t('cdr.type')}
            value={filters.type}
            onChange={(e) => setFilters({ type: e.target.value })}
          >
            <option value="">{t('cdr.allTypes')}</option>
            {TYPES.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('cdr.state')}
          <select
            aria-label="State"
            value={filters.state}
            onChange={(e) => setFilters({ state: e.target.value })}
          >
            <option value="">{t('cdr.anyState')}</option>
            {/* In Chinese in the words of the list's State column (the stored value is the option's). */}
            {CDR_CALL_STATES.map((x) => (
              <option key={x} value={x}>
                {lang === 'zh' ? zhCdrState(x) : x}
              </option>
            ))}
          </select>
        </label>
      </span>
      <span className="toolbar">
        <TypedFilter
          shown={t('cdr.caller')}
          label={t('cdr.user')}
          placeholder={t('cdr.numberHint')}
          title={t('cdr.userHint')}
          value={filters.user}
          onSettled={(v) => setFilters({ user: v })}
          className="input cdr-number"
        />
        <TypedFilter
          shown={t('cdr.callee')}
          label="Callee"
          placeholder={t('cdr.numberHint')}
          title={t('cdr.calleeHint')}
          value={filters.callee}
          onSettled={(v) => setFilters({ callee: v })}
          className="input cdr-number"
        />
        <TypedFilter
          shown="Call-ID"
          label="Call-ID"
          placeholder={t('cdr.callIdPartHint')}
          title={t('cdr.callIdHint')}
          value={filters.callId}
          onSettled={(v) => setFilters({ callId: v })}
          className="input cdr-call-id"
        />
      </span>
    </>
  );
}
