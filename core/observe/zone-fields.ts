// An instant's calendar fields (year, month, day, hour, minute, second) in a named IANA time zone, with
// Intl: for the server's zone as the console is told it (cdr/clock-fields.ts serverTimeZone) and for the
// console, which shows times on the server's clock (renderer/src/components/local-time.ts).

export type ZoneFields = [
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
];

const formatters = new Map<string, Intl.DateTimeFormat>();
const INDEX = { year: 0, month: 1, day: 2, hour: 3, minute: 4, second: 5 } as const;

/** The formatter of a zone, made once; throws RangeError for a zone this Intl does not know. */
export function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The fields of ms since the epoch in `zone` (month 1-12). */
export function zoneFields(zone: string, ms: number): ZoneFields {
  const out: ZoneFields = [0, 0, 0, 0, 0, 0];
  for (const p of zoneFormatter(zone).formatToParts(ms))
    if (Object.hasOwn(INDEX, p.type)) out[INDEX[p.type as keyof typeof INDEX]] = Number(p.value);
  return out;
}
