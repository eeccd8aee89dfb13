// A live thing's own clock as the console counts on it: the server's reading of that clock as it sent
// the data (clockAt: a call's or a campaign's start on the wall clock, plus what really elapsed since),
// plus this browser's steady time since it came (seenAt, performance.now()). Neither the server's nor the
// browser's wall clock stepping moves a duration counted so; counted on the server's wall clock, a step
// back of an hour read 00:00 for every call and campaign up.

export interface OwnClockReading {
  /** Now on its own clock when the server sent it (ms since the epoch); none from an older server. */
  clockAt?: number;
  /** This browser's performance.now() when it came. */
  seenAt?: number;
}

/** Now on its own clock; `serverNow` (the server's wall clock) when no reading came with it. */
export function ownClockNow(r: OwnClockReading, steadyNow: number, serverNow: number): number {
  return r.clockAt === undefined || r.seenAt === undefined
    ? serverNow
    : r.clockAt + Math.max(0, steadyNow - r.seenAt);
}
