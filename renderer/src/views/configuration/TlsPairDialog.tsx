// The Configuration view's dialog for SIP.TLS_CERT and SIP.TLS_KEY: two fields edited together (either
// setting's Edit opens it), saved by one SET CFG that checks both files before either changes
// (tls-pair.ts). What is wrong is said under the form and marks the field whose file it is about.
import { useId, useRef, useState } from 'react';
import type { SettingData } from '../../../../core/control/contract';
import { Dialog, outcomeOf } from '../../components/common';
import { useClient, useT } from '../../store/shell';
import { thrownText } from '../../components/error-text';
import { faultOf, tlsPairCommand, TLS_CERT, TLS_KEY, type PairField } from './tls-pair';
import { valueText } from './validate';
import { FormButtons } from './FormButtons';

export function TlsPairDialog({ settings, onClose }: { settings: SettingData[]; onClose: () => void }) {
  const t = useT();
  const client = useClient();
  const current = (key: string) => valueText(settings.find((s) => s.key === key)?.value ?? '');
  const [values, setValues] = useState<Record<PairField, string>>({
    cert: current(TLS_CERT),
    key: current(TLS_KEY),
  });
  const [problem, setProblem] = useState<{ field: PairField; text: string } | null>(null);
  const problemId = useId();
  const helpId = useId();
  const inputs = useRef<Partial<Record<PairField, HTMLInputElement | null>>>({});
  const fail = (field: PairField, text: string) => {
    setProblem({ field, text });
    inputs.current[field]?.focus();
  };
  const submit = async () => {
    const c = tlsPairCommand(values.cert, values.key);
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
