// The MML layer: grammar, registry, engine, history, text rendering and the appliance's commands.
export * from './command';
export { MmlEngine, MASK } from './engine';
export type { MmlEngineOptions, MmlExecution } from './engine';
export { MmlSyntaxError, parseCommand, quoteValue, splitScript } from './grammar';
export type { ParamPosition, ParsedCommand, Statement } from './grammar';
export { SqliteMmlHistory } from './history';
export type { MmlHistory, MmlHistoryEntry, SqliteMmlHistoryOptions } from './history';
export { MmlRegistry } from './registry';
export type { PreparedCommand } from './registry';
export { displayWidth, renderText, renderTexts } from './text';
export { isMmlLang, MML_LANGS, translate } from './lang';
export type { MmlExecuteOptions, MmlLang } from './lang';
export type { TextOptions } from './text';
export { baseCommands, createRegistry } from './commands/index';
