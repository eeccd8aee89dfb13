// HELP's topics that are not commands (HELP HOTKEY: the console terminal's keys), for HELP itself and for
// the terminal's Tab completion.
export const HELP_TOPICS: readonly string[] = ['HOTKEY'];
