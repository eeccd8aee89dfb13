// The Configuration dialog refuses a value of the wrong form in SET CFG's words: for every setting it
// checks (integers, booleans, enums, lists of options), what the dialog says equals what SET CFG answers
// after "Parameter VALUE: " to the command the dialog would send, in English and in 中文. Before, the
// dialog said "expected an integer 0..65535" or "at least 0" where MML said "SIP.PORT must be a port
// number from 0 to 65535 (got "-1")".
import { describe, expect, it } from 'vitest';
import { SETTINGS, type SettingDefinition } from '../../../core/config/settings';
import { acceptedForm } from '../../../core/config/setting-refusal';
import type { SettingData } from '../../../core/control/contract';
import { RETCODE } from '../../../core/mml/command';
import { openLab, useLabs, type Lab } from '../mml/lab';
import { checkValue, setCommand } from '../../../renderer/src/views/configuration/validate';

useLabs();

/** A setting as the console receives it (control.ts's config snapshot: the definition, spread). */
const data = (d: SettingDefinition): SettingData => ({
  ...d,
  value: d.default,
  source: 'default',
  allowed: '',
});

/** Values of the wrong form for a setting the dialog checks. */
function badValues(d: SettingDefinition): string[] {
  if (d.type === 'integer')
    return ['abc', '1.5', '-0', ...(d.min !== undefined ? [`${d.min - 1}`] : []), `${(d.max ?? 0) + 1}`];
  if (d.type === 'boolean') return ['maybe'];
  if (d.type === 'enum') return ['BOGUS'];
  return [`${d.options![0]},BOGUS`, ''];
}

/** SET CFG's refusal after "Parameter VALUE: " (RETCODE 3), or its 中文 after "参数 VALUE 错误: ". */
async function setCfgRefusal(lab: Lab, key: string, value: string, lang: 'en' | 'zh'): Promise<string> {
  const [r] = await lab.engine.execute(setCommand(key, value), 'tester', { lang });
  expect(r!.retcode, r!.message).toBe(RETCODE.PARAMETER_ERROR);
  const lead = lang === 'zh' ? '参数 VALUE 错误: ' : 'Parameter VALUE: ';
  expect(r!.message.startsWith(lead), r!.message).toBe(true);
  return r!.message.slice(lead.length);
}

const checked = SETTINGS.filter((d) => acceptedForm(d) !== undefined);

describe("the Configuration dialog says SET CFG's refusal", () => {
  it('checks every integer, boolean, enum and list of options', () => {
    expect(checked.map((d) => d.type).sort()).toEqual(
      SETTINGS.filter((d) => ['integer', 'boolean', 'enum'].includes(d.type) || d.options !== undefined)
        .map((d) => d.type)
        .sort(),
    );
  });

  it('the same words for each of them, in English and 中文', async () => {
    const lab = openLab();
    for (const d of checked)
      for (const bad of badValues(d))
        for (const lang of ['en', 'zh'] as const)
          expect(checkValue(data(d), bad, lang), `${d.key}=${bad} (${lang})`).toBe(
            await setCfgRefusal(lab, d.key, bad, lang),
          );
  });
});
