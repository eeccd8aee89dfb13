// The Calls view's count above its table: the live calls, and the ended ones still shown (greyed, a few
// seconds). In Chinese each number says what it counts, with one measure word (活跃 0 个 · 刚结束 1 个):
// 共 0 条 above a row on screen read as "no rows".
import type { useT } from '../../store/shell';

export function callCount(t: ReturnType<typeof useT>, live: number, shown: number): string {
  const total = t('calls.live', { n: live });
  return shown > live ? `${total} · ${t('calls.endedShown', { n: shown - live })}` : total;
}
