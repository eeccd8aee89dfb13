// What a setting allows, as a person reads it: DSP CFG's "Allowed" column and the console's (which shows
// the same text, in 中文 through zhAllowed). One text for both, from the setting's definition.
import { FORMATS } from './setting-formats';
import type { SettingDefinition } from './settings';

export function allowedText(d: SettingDefinition): string {
  if (d.format !== undefined) return d.type === 'list' ? FORMATS[d.format].items : FORMATS[d.format].one;
  if (d.options !== undefined)
    return d.type === 'list' ? `items of ${d.options.join(', ')}` : d.options.join(', ');
  if (d.type === 'integer') return `${d.min ?? ''}..${d.max ?? ''}`;
  if (d.type === 'boolean') return 'YES, NO';
  if (d.type === 'cidr') return 'CIDR list (IPv4, IPv6)';
  if (d.type === 'ip') return 'IP address (IPv4, IPv6), or empty';
  if (d.type === 'ip6') return 'IPv6 address, or empty';
  if (d.type === 'host') return 'host name or IPv4 address';
  if (d.type === 'list') return 'comma list';
  return '';
}
