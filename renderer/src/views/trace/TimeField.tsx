// One end of the Trace list's time range: a text field in the server-clock format the list shows
// (2026-12-07 14:30, seconds optional; a T in place of the space, as DSP TRACE FROM= and TO= take it),
// one Tab stop where the browser's datetime-local took seven (its segments), and beside it a button that
// opens the browser's date-and-time picker. A text that is no time says so once the field is left (WCAG
// 3.3.1), and filters nothing.
import { useId, useRef, useState } from 'react';
import { clockZoneName, instantOf, localDate, serverNow } from '../../components/local-time';
import { useT } from '../../store/shell';

/** What a datetime-local picker gives (YYYY-MM-DDTHH:MM[:SS]) as the field shows it, and back. */
const shown = (picked: string): string => picked.replace('T', ' ');
const pickable = (text: string): string =>
  instantOf(text) === undefined ? '' : text.trim().replace(' ', 'T');

export function TimeField(props: { label: string; value: string; onChange: (value: string) => void }) {
  const t = useT();
  const errorId = useId();
  const picker = useRef<HTMLInputElement>(null);
  // Being typed: no error until the field is left (a half-typed time is no mistake yet).
  const [typing, setTyping] = useState(false);
  const wrong = !typing && props.value.trim() !== '' && instantOf(props.value) === undefined;
  const [before, after = ''] = t('trace.timeBad', { example: '\u0000' }).split('\u0000');
  const pick = () => {
    const el = picker.current;
    if (el === null) return;
    try {
      el.showPicker();
    } catch {
      // No picker here (an older browser, no user gesture): the field takes the time typed.
    }
  };
  return (
    <span className="time-field">
      <label>
        {props.label}
        <input
          type="text"
          className="input input-time"
          aria-label={props.label}
          title={t('trace.timeZone', { zone: clockZoneName() })}
          placeholder={t('trace.timeFormat')}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={wrong}
          aria-describedby={wrong ? errorId : undefined}
          value={props.value}
          onChange={(e) => {
            setTyping(true);
            props.onChange(e.target.value);
          }}
          onBlur={() => setTyping(false)}
        />
      </label>
      <button
        type="button"
        className="btn btn-icon"
        aria-label={t('trace.pickTime', { field: props.label })}
        title={t('trace.pickTime', { field: props.label })}
        onClick={pick}
      >
        <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
          <rect x="1.5" y="2.5" width="11" height="10" rx="1" fill="none" stroke="currentColor" />
          <path d="M1.5 5.5h11M4.5 1v3M9.5 1v3" stroke="currentColor" />
        </svg>
      </button>
      {/* The browser's picker, opened by the button: out of the Tab order and unseen. */}
      <input
        ref={picker}
        type="datetime-local"
        className="time-picker"
        tabIndex={-1}
        aria-hidden="true"
        value={pickable(props.value)}
        onChange={(e) => {
          setTyping(false);
          props.onChange(shown(e.target.value));
        }}
      />
      {wrong && (
        <span id={errorId} className="field-error" role="alert">
          {before}
          {/* The example whole on one line (not broken at its hyphens). */}
          <span className="nowrap">{`${localDate(new Date(serverNow()))} 14:30`}</span>
          {after}
        </span>
      )}
    </span>
  );
}
