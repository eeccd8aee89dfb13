// The Configuration dialogs' line saying another operator changed what the dialog is editing since it was
// opened (a setting's, and the TLS certificate and key's), with Reload: a Save based on the older value
// would be refused (SET CFG ... IF_VALUE=).
import { useT } from '../../store/shell';

export function ChangedUnder({ value, onReload }: { value: string; onReload: () => void }) {
  const t = useT();
  return (
    <p className="field-error" role="alert">
      {t('cfg.changedUnder', { value })}{' '}
      <button type="button" className="btn btn-small" onClick={onReload}>
        {t('users.reload')}
      </button>
    </p>
  );
}
