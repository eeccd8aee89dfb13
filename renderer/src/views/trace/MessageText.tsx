// One traced message whole: who sent it to whom, when, over what; then its text with header names and
// the SDP body's line types highlighted, a peer's bidi overrides and controls shown (peer-text.tsx).
import type { TraceMessageData } from '../../../../core/control/contract';
import { useT } from '../../store/shell';
import { dateTimeMs } from '../../components/local-time';
import { peerText } from '../../components/peer-text';
import { endpointOf, messageParts } from './ladder';

export function MessageText({ message: m }: { message: TraceMessageData }) {
  const t = useT();
  return (
    <>
      <h3>{t('trace.message', { no: m.no })}</h3>
      <div className="dim trace-meta">
        {m.direction === 'in' ? t('trace.in') : t('trace.out')} {m.transport} {endpointOf(m.src)} →{' '}
        {endpointOf(m.dst)} {dateTimeMs(Math.floor(m.timeUs / 1000))}
        {m.retransmission && <span className="tag tag-warn">{t('trace.rtx')}</span>}
        {m.error !== null && <span className="tag tag-bad">{peerText(m.error)}</span>}
      </div>
      {/* Named by the panel it is in (its complementary landmark, "Message #N"), not by an aria-label on
          a generic element, which a screen reader ignores. */}
      <pre className="sip-text">
        {messageParts(m.text).map((p, i) => (
          <div key={i} className={`sip-${p.kind}`}>
            {p.kind === 'header' && <span className="sip-name">{peerText(p.name)}</span>}
            {p.kind === 'sdp' && <span className={`sdp-type sdp-${p.name}`}>{p.name}</span>}
            {p.text === '' ? ' ' : peerText(p.text)}
          </div>
        ))}
      </pre>
    </>
  );
}
