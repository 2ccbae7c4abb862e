import type { Agency, Office, Registry } from './registry.ts';

/**
 * Interim copies of the supervision-tree look-ups that functions/pipeline/supervision.ts (branch
 * w2-status) owns, with the same signatures, so the reminders can be built before that branch lands. When
 * it does, the imports of this file move there and this file goes.
 */

/** Every agency the office supervises, directly or through the offices below it (each once). */
export function agenciesUnder(registry: Registry, officeId: string): Agency[] {
  const offices = new Set([officeId]);
  // The tree is small (hundreds of offices): grow the set of offices below until it stops growing.
  for (let grew = true; grew; ) {
    grew = false;
    for (const office of registry.offices ?? []) {
      if (!offices.has(office.id) && office.supervisedBy.some((id) => offices.has(id))) {
        offices.add(office.id);
        grew = true;
      }
    }
  }
  return registry.agencies.filter((a) => (a.supervisedBy ?? []).some((id) => offices.has(id)));
}

/** The offices that supervise the agency directly. */
export function supervisingOffices(registry: Registry, agencyId: string): Office[] {
  const ids = new Set(registry.agencies.find((a) => a.id === agencyId)?.supervisedBy ?? []);
  return (registry.offices ?? []).filter((o) => ids.has(o.id));
}

/**
 * The last day (China time, `YYYY-MM-DD`) for the agency's report on `year` (条例第四十九条): a
 * department's by 31 January, a people's government's own report by 31 March of the next year.
 */
export function deadlineOf(agency: Pick<Agency, 'kind'>, year: number): string {
  return agency.kind === 'government' ? `${year + 1}-03-31` : `${year + 1}-01-31`;
}
