// The original console's command tree (core/mml/command-tree.ts, shared with GET /api/command_tree) and
// the sidebar's search over it.
import type { Lang } from '../../../../core/control/contract';
import { COMMAND_TREE, type TreeGroup } from '../../../../core/mml/command-tree';

export { COMMAND_TREE, type TreeGroup };

/**
 * The entries of a group the tree's search finds: all of them when the group's name (or its other
 * words) holds the text, else those whose command or label does.
 */
export function treeMatches(group: TreeGroup, filter: string, lang: Lang): TreeGroup['entries'] {
  const text = filter.trim().toLowerCase();
  if (text === '') return group.entries;
  const has = (s: string | undefined) => s !== undefined && s.toLowerCase().includes(text);
  if (has(group.name[lang]) || has(group.also?.[lang])) return group.entries;
  return group.entries.filter((x) => has(x.command) || has(x.label[lang]));
}
