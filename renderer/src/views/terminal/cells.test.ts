import { describe, expect, it } from 'vitest';
import { cellPieces } from './cells';

describe('terminal cells', () => {
  it('keeps runs of wide characters whole, two cells each, and narrow runs whole', () => {
    expect(cellPieces('名称  =  IMS Lab')).toEqual([
      { text: '名称', wide: true, cells: 4 },
      { text: '  =  IMS Lab', wide: false, cells: 12 },
    ]);
    expect(cellPieces('用户 王小明 ok')).toEqual([
      { text: '用户', wide: true, cells: 4 },
      { text: ' ', wide: false, cells: 1 },
      { text: '王小明', wide: true, cells: 6 },
      { text: ' ok', wide: false, cells: 3 },
    ]);
    expect(cellPieces('RETCODE = 0')).toEqual([{ text: 'RETCODE = 0', wide: false, cells: 11 }]);
    expect(cellPieces('')).toEqual([]);
  });
});
