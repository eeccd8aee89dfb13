import { describe, expect, it } from 'vitest';
import { cellPieces } from './cells';

describe('terminal cells', () => {
  it('sets wide characters apart one by one and keeps narrow runs whole', () => {
    expect(cellPieces('名称  =  IMS Lab')).toEqual([
      { text: '名', wide: true },
      { text: '称', wide: true },
      { text: '  =  IMS Lab', wide: false },
    ]);
    expect(cellPieces('RETCODE = 0')).toEqual([{ text: 'RETCODE = 0', wide: false }]);
    expect(cellPieces('')).toEqual([]);
  });
});
