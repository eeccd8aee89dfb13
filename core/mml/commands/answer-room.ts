// An answer too large for the JavaScript heap left is refused rather than built: DSP USER ALL of 20,003
// users under node --max-old-space-size=64 ended the process (V8's fatal OOM while the answer's text was
// flattened, no event to catch: SIP, the console and the calls went with it). Its text is about 100
// bytes a user (2 MB); building the answer (the rows, the MML text, the JSON to the console or the mml
// client) needed between 19 and 35 MB of heap there (it died with 17 MB left, passed with 33 MB): about
// ANSWER_HEAP_FACTOR times its text. With Node's usual heap (4 GB) this never refuses a real listing.
import { heapFigures, type HeapFigures } from '../../observe/resource-watch';

export const ANSWER_HEAP_FACTOR = 16;

const MB = 1024 * 1024;

/** Why an answer of about `textBytes` of text cannot be built with the heap left; undefined when it can. */
export function answerTooLarge(textBytes: number, heap: () => HeapFigures = heapFigures): string | undefined {
  const { oldUsed, oldLimit } = heap();
  const left = Math.max(0, oldLimit - oldUsed);
  const needs = textBytes * ANSWER_HEAP_FACTOR;
  if (needs <= left) return undefined;
  return `would take about ${Math.ceil(needs / MB)} MB of memory to answer, and the JavaScript heap has ${Math.floor(left / MB)} MB left (node --max-old-space-size)`;
}
