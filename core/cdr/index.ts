// Call detail records: events → rows (from-events), SQLite (cdr-store), the daily CSV archive (csv) and
// the recorder that batches them behind the SIP path.
export * from './record';
export {
  callRecord,
  messageRecord,
  optionsRecord,
  originalReason,
  registrationRecord,
  setupTimeText,
  shutdownCallRecord,
  SHUTDOWN_REASON,
  uriUser,
} from './from-events';
export type { ServerAddress, ServerFor } from './from-events';
export { CdrArchive, CDR_CSV_HEADER, CDR_DIR, EXPORTS_DIR, cdrCsvLine, csvField, csvLine } from './csv';
export { SqliteCdrStore } from './cdr-store';
export type { CdrStore } from './cdr-store';
export { DEFAULT_CDR_PAGE_SIZE, MAX_CDR_PAGE_SIZE } from './query';
export type {
  CdrClearResult,
  CdrClearScope,
  CdrExport,
  CdrFilter,
  CdrPage,
  CdrQuery,
  CdrStats,
} from './query';
export { LAST_RECORD_ID_SETTING, nextRecordId } from './record-id';
export { cdrDate, cdrTime, cdrTimeMs } from './clock-fields';
export { CdrRecorder, DEFAULT_FLUSH_INTERVAL_MS, DEFAULT_MAX_PENDING } from './recorder';
export type { CdrRecorderOptions } from './recorder';
