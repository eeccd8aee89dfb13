// The Configuration dialogs' Cancel and Save (a setting's, and the TLS certificate and key's).
import { useT } from '../../store/shell';

export function FormButtons({
  onCancel,
  onCancelPress,
}: {
  onCancel: () => void;
  onCancelPress?: () => void;
}) {
  const t = useT();
  return (
    <div className="dialog-buttons">
      <button type="button" className="btn" onPointerDown={onCancelPress} onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <button type="submit" className="btn btn-primary">
        {t('common.save')}
      </button>
    </div>
  );
}
