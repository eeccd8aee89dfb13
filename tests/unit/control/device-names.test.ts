// Windows device names (CON, NUL, COM1...) as prompt and upload names: refused from a client that sends
// one, turned into a plain name by the console and the upload of IMP USER's files.
import { describe, expect, it } from 'vitest';
import { besideDeviceName, isDeviceName } from '../../../core/control/device-names';
import { validateRequest } from '../../../core/control/contract';
import { importName } from '../../../core/http/data-files';
import { promptName } from '../../../renderer/src/views/dialer/store';

describe('Windows device names', () => {
  it('are CON, PRN, AUX, NUL, COM0-9, LPT0-9 in any case, whatever follows the first dot', () => {
    for (const n of ['CON', 'con.wav', 'Nul.backup.json', 'com1.wav', 'LPT9', 'com¹.wav', 'aux'])
      expect(isDeviceName(n)).toBe(true);
    for (const n of ['console.wav', 'con_.wav', 'com10.wav', 'my.con.wav', 'nul-1.csv', 'prompt.wav'])
      expect(isDeviceName(n)).toBe(false);
    expect(besideDeviceName('CON.x.wav')).toBe('CON_.x.wav');
    expect(besideDeviceName('nul')).toBe('nul_');
  });

  it('are refused as a prompt upload, naming the field', () => {
    const checked = validateRequest({ op: 'upload', name: 'CON.wav', data: '' });
    expect(checked).toEqual({ error: 'name: a device name on Windows (CON, PRN, AUX, NUL, COM1, LPT1...)' });
    expect(validateRequest({ op: 'upload', name: 'console.wav', data: '' })).toHaveProperty('value');
  });

  it('become plain names in the console and in uploads for IMP USER', () => {
    expect(promptName('C:\\\\prompts\\\\con.wav')).toBe('con_.wav');
    expect(promptName('aux.greeting.wav')).toBe('aux_.greeting.wav');
    expect(importName('NUL.json')).toEqual({ base: 'NUL_', ext: '.json' });
    expect(importName('users.json')).toEqual({ base: 'users', ext: '.json' });
  });
});
