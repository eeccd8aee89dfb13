// Table cells in Chinese, for the text an answer is printed as (the terminal, `mml`, /api/mml's `text`,
// /api/execute's `output`). A table's rows themselves stay as the command wrote them in every language
// (`stopped`, `default`, `ip`), so that a script reading /api/mml's JSON finds the same values whatever
// its "lang"; the words a person reads become Chinese only in the text. Tables and columns are found by
// their keys (their English title and name: lang.ts withKeys), never by the words shown.
import type { MmlTable } from './command';
import { zhMessage } from './lang';
import { ZH_CELLS, ZH_COLUMN_CELLS } from './zh';
import { zhAllowed } from './zh-params';
import { ZH_SETTING_SOURCES, ZH_SETTING_TYPES, zhSettingHelp } from './zh-settings';

/** A cell's Chinese, given the cell and the row's cell of another column (by key). */
type CellWords = (cell: string, other: (key: string) => unknown) => string;

function pick<T>(map: Readonly<Record<string, T>> | undefined, key: string | undefined): T | undefined {
  return map !== undefined && key !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Words of one column of one table (by the table's and the column's key). */
const ZH_TABLE_COLUMN_CELLS: Readonly<Record<string, Readonly<Record<string, CellWords>>>> = {
  // DSP CFG: where a value comes from, its type, what it allows and what it is for.
  Settings: {
    Source: (v) => pick(ZH_SETTING_SOURCES, v) ?? v,
    Type: (v) => pick(ZH_SETTING_TYPES, v) ?? v,
    Allowed: (v) => zhAllowed(v),
    Description: (v, other) => zhSettingHelp(String(other('Key')), v),
  },
  // DSP HISTORY: each command's answer, kept in English, in the reader's language.
  'Command history': { Message: (v) => zhMessage(v) },
};

/**
 * How the text writes a string cell of `table` in Chinese (its column's index, the row), or undefined
 * when the table has no words to translate: a column's own words first (DSP CDR's Result), then what
 * the table's title calls "none" or a state (ZH_CELLS); data stays as it is.
 */
export function zhCellText(
  table: MmlTable,
): ((cell: string, column: number, row: readonly unknown[]) => string) | undefined {
  const tableKey = table.key ?? table.title;
  const own = pick(ZH_TABLE_COLUMN_CELLS, tableKey);
  const keys = table.columns.map((c) => c.key ?? c.name);
  const byColumn = keys.map(
    (k): CellWords | undefined => pick(own, k) ?? (pick(ZH_COLUMN_CELLS, k) as CellWords | undefined),
  );
  const cells = pick(ZH_CELLS, tableKey);
  if (cells === undefined && byColumn.every((f) => f === undefined)) return undefined;
  return (cell, column, row) => {
    const words = byColumn[column]?.(cell, (key) => row[keys.indexOf(key)]);
    return words !== undefined && words !== cell ? words : (pick(cells, cell) ?? cell);
  };
}
