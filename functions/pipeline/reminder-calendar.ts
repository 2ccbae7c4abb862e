import { chinaDay } from './china-time.ts';
import { deadlineOf } from './deadline.ts';
import type { Agency } from './registry.ts';

/**
 * The reporting season's calendar, in China time (UTC+8, no daylight saving), on `YYYY-MM-DD` days. For
 * the reports of year Y (条例第四十九条): departments are reminded from 15 January of Y+1 to their
 * deadline, 31 January; people's governments from 15 March to 31 March. From the day after the deadline a
 * report still missing is overdue: a notice every day for the first week, then every Monday, until the
 * season ends on 30 June (after that the supervision status page keeps the record; mail stops).
 */
export const SEASON_END = '06-30';
const REMINDER_FROM: Record<Agency['kind'], string> = { department: '01-15', government: '03-15' };
/** Overdue notices go out daily for this many days after the deadline, then weekly. */
export const DAILY_OVERDUE_DAYS = 7;

const DAY_MS = 86_400_000;
/** Whole days from `a` to `b` (both `YYYY-MM-DD`). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

export const isDay = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

export type Phase =
  | { kind: 'none' }
  | { kind: 'reminder'; deadline: string; daysLeft: number }
  | { kind: 'overdue'; deadline: string; daysLate: number; notify: boolean };

/**
 * Where an agency stands on `today` for the reports of the year before: not yet in its reminder window,
 * reminded (daysLeft 0 on the deadline itself), or overdue (`notify`: whether today is a day its overdue
 * notice goes out).
 */
export function phaseOf(agency: Pick<Agency, 'kind'>, today: string): Phase & { year: number } {
  const year = Number(today.slice(0, 4)) - 1;
  // The last day, China time, of the one deadline rule (cross-year.ts, through supervision.ts).
  const deadline = chinaDay(deadlineOf(agency, year));
  const from = `${year + 1}-${REMINDER_FROM[agency.kind]}`;
  if (today < from || today > `${year + 1}-${SEASON_END}`) return { kind: 'none', year };
  if (today <= deadline) return { kind: 'reminder', year, deadline, daysLeft: daysBetween(today, deadline) };
  const daysLate = daysBetween(deadline, today);
  const monday = new Date(`${today}T00:00:00Z`).getUTCDay() === 1;
  return { kind: 'overdue', year, deadline, daysLate, notify: daysLate <= DAILY_OVERDUE_DAYS || monday };
}
