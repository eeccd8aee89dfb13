// Whether the structured clone (V8's serializer, what postMessage uses) writes every array of a value
// densely: the same bytes as the clone of a copy made by JSON.parse, whose arrays are packed. A holey array
// (what V8's optimised Array.prototype.map returns) is written sparse, index by index, and longer.
import { serialize } from 'node:v8';

/** For values of arrays, strings, numbers and null (what JSON carries unchanged). */
export function clonesDensely(value: unknown): boolean {
  return serialize(value).equals(serialize(JSON.parse(JSON.stringify(value))));
}
