// How large a file IMP USER reads: the command itself and the console's upload for it
// (core/http/data-files.ts, renderer/src/api/download.ts) hold to the same figure.

/** Largest file IMP USER reads, and so the largest a console may upload for it. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
