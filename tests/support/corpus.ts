// The RFC 4475 / RFC 5118 torture messages live beside the repository (../shared/corpus), never in it.
// Tests read them as Buffers and skip with a clear message when the folder is missing.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR =
  process.env.IMS_CORPUS_DIR ?? fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
export const HAS_CORPUS = existsSync(`${CORPUS_DIR}/rfc4475`) && existsSync(`${CORPUS_DIR}/rfc5118`);

if (!HAS_CORPUS) {
  process.stderr.write(`[corpus] ${CORPUS_DIR} not found: torture-message tests are skipped\n`);
}

/** One torture message: 'rfc4475/wsinv' reads rfc4475/wsinv.dat, 'rfc5118/ipv6-good' reads that file. */
export function corpus(id: string): Buffer {
  const [set, name] = id.split('/') as [string, string];
  const file = set === 'rfc4475' ? `${CORPUS_DIR}/${set}/${name}.dat` : `${CORPUS_DIR}/${set}/${name}`;
  return readFileSync(file);
}

/** Every message id of the corpus. */
export function corpusIds(): string[] {
  if (!HAS_CORPUS) return [];
  const ids: string[] = [];
  for (const set of ['rfc4475', 'rfc5118']) {
    for (const f of readdirSync(`${CORPUS_DIR}/${set}`).sort()) {
      if (f.endsWith('.md')) continue;
      ids.push(`${set}/${f.replace(/\.dat$/, '')}`);
    }
  }
  return ids;
}
