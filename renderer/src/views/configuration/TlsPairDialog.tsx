// The Configuration view's dialog for SIP.TLS_CERT and SIP.TLS_KEY: two fields edited together (either
// setting's Edit opens it), saved by one SET CFG that checks both files before either changes
// (tls-pair.ts). What is wrong is said under the form and marks the field whose file it is about. As a
// setting's Edit dialog, it saves only if the pair is still as it read it (IF_VALUE=, IF_TLS_KEY=) and says
// when another operator changes either while it is open, with Reload.
import { useId, useRef, useState } from 'react';
import type { SettingData } from '../../../../core/control/contract';
import { Dialog, outcomeOf } from '../../components/common';
import { useClient, useT } from '../../store/shell';
import { thrownText } from '../../components/error-text';
import { faultOf, pairChangedUnder, pairValues, tlsPairCommand, type PairField } from './tls-pair';
import { FormButtons } from './FormButtons';
import { ChangedUnder } from './ChangedUnder';

export function TlsPairDialog({
  settings,
  onClose,
}: {
  /** The view's settings, read again at each change of a setting, whoever made it. */
  settings: SettingData[];
  onClose: () => void;
}) {
  const t = useT();
  const client = useClient();
  // The pair as the form read it (Reload reads it again): Save's SET CFG is based on it.
  const latest = pairValues(settings);
  const [read, setRead] = useState(latest);
  const [values, setValues] = useState(latest);
  const under = pairChangedUnder(read, latest);
  const [problem, setProblem] = useState<{ field: PairField; text: string } | null>(null);
  const reload = () => {
    setRead(latest);
    setValues(latest);
    setProblem(null);
  };
  const problemId = useId();
  const helpId = useId();
  const inputs = useRef<Partial<Record<PairField, HTMLInputElement | null>>>({});
  const fail = (field: PairField, text: string) => {
    setProblem({ field, text });
    inputs.current[field]?.focus();
  };
  const submit = async () => {
    const c = tlsPairCommand(values.cert, values.key, read);
    if ('fault' in c) {
      fail(c.fault, t(c.fault === 'cert' ? 'cfg.tls.needCert' : 'cfg.tls.needKey'));
      return;
    }
    try {
      const r = await client.execute(c.command);
      const o = outcomeOf(t, r);
      if (o.ok) onClose();
      else fail(faultOf(o.text), o.text);
    } catch (err) {
      setProblem({
        field: 'cert',
        text: thrownText(t, err),
      });
    }
  };
  const field = (name: PairField, label: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        ref={(el) => {
          inputs.current[name] = el;
        }}
        className="input mono"
        aria-label={label}
        aria-invalid={problem?.field === name}
        aria-describedby={[problem?.field === name ? problemId : '', helpId].filter(Boolean).join(' ')}
        value={values[name]}
        onChange={(e) => {
          setValues({ ...values, [name]: e.target.value });
          if (problem?.field === name) setProblem(null);
        }}
      />
    </label>
  );
  return (
    <Dialog title={t('cfg.tls.title')} onClose={onClose}>
      <p className="dim" id={helpId}>
        {t('cfg.tls.help')}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {field('cert', t('cfg.tls.cert'))}
        {field('key', t('cfg.tls.key'))}
        <p className="dim">{t('cfg.restartNeeded')}</p>
        {under !== null && <ChangedUnder value={under} onReload={reload} />}
        {problem && (
          <p className="field-error" role="alert" id={problemId}>
            {problem.text}
          </p>
        )}
        <FormButtons onCancel={onClose} />
      </form>
    </Dialog>
  );
}
