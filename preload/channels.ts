// The IPC channels between the preload and main (main/ipc.ts). Kept free of imports: the sandboxed
// preload bundles it.
export const IPC_REQUEST = 'ims:request';
export const IPC_VERSION = 'ims:version';
export const IPC_EVENT = 'ims:event';
/** A console download on the desktop: the Save dialog for an export file (main/save-export.ts). */
export const IPC_SAVE_EXPORT = 'ims:save-export';
