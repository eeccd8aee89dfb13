// The SIP trace: every message kept (ring + SQLite), ladders, pcap and HEP export.
export {
  SipTrace,
  packetOf,
  type TraceConfig,
  type TraceExportFormat,
  type TraceStatus,
  type TraceUpdate,
} from './sip-trace';
export { TRACE_DATABASE_FILE } from './trace-store';
export type { TraceFilter } from './trace-filter';
export type { TraceDialogSummary } from './trace-dialog';
export { firstLine, label, type TraceKind, type TraceMessage } from './trace-message';
export { renderLadder, localTimeUs } from './ladder';
export { pcapFile, PcapWriter, type PcapPacket } from './pcap';
export { hepPacket, parseCollector } from './hep';
export { traceConfig } from './trace-settings';
export { messageView, type TraceMessageView } from './message-view';
export { TraceFeed, TRACE_FEED_MS } from './trace-feed';
