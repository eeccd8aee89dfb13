// A day's log file as the console downloads it (the Logs view, core/http/data-files.ts serving it and
// main's Save dialog taking it): its route and name, shared by the server and the page (no Node here).

/** GET /api/log/<name>: a day's log file, logs/<day>/ims-sip-server.log, to a logged-in console. */
export const DAY_LOG_ROUTE = '/api/log/';

/** The name a day's log file is downloaded as: ims-sip-server_<YYYY-MM-DD>.log. */
export const dayLogName = (day: string): string => `ims-sip-server_${day}.log`;

/** The day a download name names, or undefined when it is not one dayLogName gives. */
export const dayOfLogName = (name: string): string | undefined =>
  /^ims-sip-server_(\d{4}-\d\d-\d\d)\.log$/.exec(name)?.[1];
