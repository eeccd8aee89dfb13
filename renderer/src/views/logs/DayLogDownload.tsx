// A day's log file downloaded whole (logs/<date>/ims-sip-server.log): the view keeps the newest lines
// and DSP LOG shows 1,000 records a page, a busy day's file holds millions. In a browser it is fetched
// with the session's token from the server, which streams it; on the desktop main's Save dialog puts a
// copy where the user says (the exports' way, window.ims.saveExport).
import { useState } from 'react';
import { DAY_LOG_ROUTE, dayLogName } from '../../../../core/http/day-log-name';
import { downloadExport, saveOnDesktop } from '../../api/download';
import { DateField, ErrorState } from '../../components/common';
import { localDate, serverNow } from '../../components/local-time';
import { useShell, useT } from '../../store/shell';
import { thrownText } from '../../components/error-text';

export function DayLogDownload() {
  const t = useT();
  const session = useShell((s) => s.session);
  // Today on the server's clock: the day its file is named by.
  const [day, setDay] = useState(() => localDate(new Date(serverNow())));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    const name = dayLogName(day);
    setError(null);
    setBusy(true);
    try {
      if (session.kind === 'open' && session.token) await downloadExport(DAY_LOG_ROUTE, name, session.token);
      else await saveOnDesktop(name);
    } catch (err) {
      setError(thrownText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <DateField label={t('logs.day')} value={day} onChange={setDay} />
      <button type="button" className="btn" disabled={day === '' || busy} onClick={() => void download()}>
        {t('logs.download')}
      </button>
      {error !== null && <ErrorState message={error} />}
    </>
  );
}
