// A view that a later capability fills: says which one, and what to use meanwhile.
import { ViewFrame } from '../components/common';
import type { MessageKey } from '../i18n/i18n';
import { useT } from '../store/shell';

export function Placeholder({ title, code, text }: { title: MessageKey; code: string; text: MessageKey }) {
  const t = useT();
  return (
    <ViewFrame title={t(title)} code={code}>
      <div className="placeholder">
        <span className="placeholder-label">{t('placeholder.later')}</span>
        <span>{t(text)}</span>
      </div>
    </ViewFrame>
  );
}
