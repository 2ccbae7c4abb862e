/**
 * China time (UTC+8, no daylight saving) for what people read: deadlines are the end of a China day, and
 * a clerk compares an upload's time with them in Beijing time. Lambdas run in UTC, so never the local zone.
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;

const shifted = (instant: Date): string => new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString();

/** The China-time day of an instant, `YYYY-MM-DD`. */
export function chinaDay(instant: Date): string {
  return shifted(instant).slice(0, 10);
}

/** Beijing time as `YYYY-MM-DD HH:mm`. */
export function chinaTime(instant: Date | string): string {
  const d = shifted(new Date(instant));
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
}
