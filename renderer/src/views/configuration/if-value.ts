// The Edit dialog's save based on the value it read: SET CFG ... IF_VALUE=<that value> (core/mml/commands/
// if-value.ts), refused if another operator changed the setting since, as the Users Edit dialog's MOD
// USER carries IF_UPDATED=; and whether the setting changed under the open dialog (the view reads the
// settings again at each change, whoever made it).
import type { SettingData } from '../../../../core/control/contract';
import { quote } from '../../api/mml-text';
import { setCommand, valueText } from './validate';

/** The dialog's SET CFG of `value`, only if the setting still has the value `read` had. */
export function setIfValueCommand(key: string, value: string, read: SettingData): string {
  return `${setCommand(key, value)},IF_VALUE=${quote(valueText(read.value))}`;
}

/** The value the setting has now when it is no longer the one read (as DSP CFG shows it), else null. */
export function changedUnder(read: SettingData, latest: SettingData | undefined): string | null {
  if (latest === undefined) return null;
  const now = valueText(latest.value);
  return now === valueText(read.value) ? null : now;
}
