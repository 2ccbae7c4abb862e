/**
 * Reading tables whose cells ran together (a crawled web page prints 217|1|0|0|0|0|218 as
 * "21710000218"). Only the template's arithmetic can split such runs, and only jointly: one row's total
 * often admits several splits that the column sums of the whole table tell apart. This module is the
 * constraint search, free of template knowledge: rows of tokens, sum rules over cells, a work budget.
 *
 * Soundness is the point. A cell is read only when every reading that satisfies the rules agrees on it;
 * the search may give up (budget) or drop rules (an inconsistent table), which only ever leaves more
 * cells ambiguous, never reads one the rules do not pin down.
 */

/** A row's printed values in order: a run of digits to split, or a cell printed on its own. */
export type Token =
  | { kind: 'digits'; text: string }
  /** `value` null: a cell with no usable number (text, a blank): no rule may use it. */
  | { kind: 'cell'; value: number | null };

/** A cell of a reading; null when the cell holds no usable number. */
export type Value = number | null;

/** Σ plus = Σ minus over cells. In a row rule the numbers are column indices; in a table rule [row, column]. */
export interface SumRule<T> {
  plus: readonly T[];
  minus: readonly T[];
}

export type CellRef = readonly [row: number, column: number];

/** A digit run longer than this is no count (a billion requests): it bounds the search as well. */
export const MAX_DIGITS = 7;

export interface RowCandidates {
  /** Every split of the row into `width` cells that satisfies the rules used. */
  readings: Value[][];
  /** False when the budget ran out: `readings` is then not every split and must not be relied on. */
  complete: boolean;
  steps: number;
}

/**
 * Every way to cut a row's tokens into `width` cells satisfying `rules`: a digits token splits into one
 * or more parts, none with a leading zero ("0" itself excepted), none longer than MAX_DIGITS; a cell
 * token is one cell. Depth-first from the right, because the template prints each total after its parts:
 * once a total is cut, every part of it is at most what is left of that total, which bounds the part's
 * length, and the last part is the remainder exactly.
 */
export function rowCandidates(
  tokens: readonly Token[],
  width: number,
  rules: readonly SumRule<number>[],
  budget: number,
): RowCandidates {
  const readings: Value[][] = [];
  const parts: Value[] = new Array(width).fill(null);
  // Digits and cell tokens strictly before token t.
  const digitsBefore: number[] = [0];
  const cellTokensBefore: number[] = [0];
  tokens.forEach((tok, t) => {
    digitsBefore[t + 1] = (digitsBefore[t] ?? 0) + (tok.kind === 'digits' ? tok.text.length : 0);
    cellTokensBefore[t + 1] = (cellTokensBefore[t] ?? 0) + (tok.kind === 'cell' ? 1 : 0);
  });
  // Per cell, the rules it is in and its sign there; per rule, Σ plus − Σ minus so far and cells left.
  const memberships: { rule: number; sign: 1 | -1 }[][] = Array.from({ length: width }, () => []);
  const left: number[] = rules.map(() => 0);
  const residual: number[] = rules.map(() => 0);
  /** Cells of each rule still open on the plus and on the minus side. */
  const openPlus: number[] = rules.map((r) => r.plus.length);
  const openMinus: number[] = rules.map((r) => r.minus.length);
  rules.forEach((r, k) => {
    for (const c of r.plus) memberships[c]?.push({ rule: k, sign: 1 });
    for (const c of r.minus) memberships[c]?.push({ rule: k, sign: -1 });
    left[k] = r.plus.length + r.minus.length;
  });
  const disjoint = memberships.every((m) => m.length <= 1);
  let steps = 0;
  let complete = true;

  /** The most cell i may hold: what is left of a rule whose other side is complete. */
  const capOf = (i: number): number => {
    let cap = Number.POSITIVE_INFINITY;
    for (const { rule, sign } of memberships[i] ?? []) {
      const otherOpen = sign === 1 ? openMinus[rule] : openPlus[rule];
      if (otherOpen !== 0) continue;
      const need = -(residual[rule] ?? 0) * sign;
      if (need < cap) cap = need;
    }
    return cap;
  };

  /** Assigns cell i; false when a rule is broken or can no longer balance. */
  const assign = (i: number, v: number | null): boolean => {
    parts[i] = v;
    let ok = true;
    for (const { rule, sign } of memberships[i] ?? []) {
      residual[rule] = (residual[rule] ?? 0) + sign * (v ?? Number.NaN);
      left[rule] = (left[rule] ?? 0) - 1;
      if (sign === 1) openPlus[rule] = (openPlus[rule] ?? 0) - 1;
      else openMinus[rule] = (openMinus[rule] ?? 0) - 1;
      const r = residual[rule] ?? 0;
      if (left[rule] === 0 ? r !== 0 : (openPlus[rule] === 0 && r < 0) || (openMinus[rule] === 0 && r > 0))
        ok = false;
    }
    return ok;
  };
  const unassign = (i: number, v: number | null): void => {
    for (const { rule, sign } of memberships[i] ?? []) {
      residual[rule] = (residual[rule] ?? 0) - sign * (v ?? Number.NaN);
      left[rule] = (left[rule] ?? 0) + 1;
      if (sign === 1) openPlus[rule] = (openPlus[rule] ?? 0) + 1;
      else openMinus[rule] = (openMinus[rule] ?? 0) + 1;
    }
    parts[i] = null;
  };
  // NaN (a cell with no number in a rule) never equals 0: such rules cannot be used, and are not passed.

  /** Cell i (and those before it) from tokens up to t, token t's digits ending at `end`. */
  const walk = (i: number, t: number, end: number): void => {
    if (!complete) return;
    if (i < 0) {
      if (t < 0) readings.push([...parts]);
      return;
    }
    split(i, t, end);
  };
  const split = (i: number, t: number, end: number): void => {
    if (++steps > budget) {
      complete = false;
      return;
    }
    const tok = tokens[t];
    if (tok === undefined) return;
    // Cells 0..i must take every digit and token left: at least one digit each, at most MAX_DIGITS.
    const digitsLeft = (tok.kind === 'digits' ? end : 0) + (digitsBefore[t] ?? 0);
    const cellsLeft = i + 1;
    if (
      t + 1 > cellsLeft ||
      digitsLeft + (cellTokensBefore[t] ?? 0) + (tok.kind === 'cell' ? 1 : 0) < cellsLeft
    )
      return;
    // ... and no more digits than their caps let them print.
    let room = 0;
    if (disjoint) {
      // Each open cell is in at most one rule: count per rule instead of per cell.
      let capped = 0;
      for (let k = 0; k < rules.length; k++) {
        const open = openPlus[k] ?? 0;
        if (openMinus[k] !== 0 || open === 0) continue;
        capped += open;
        room += open * Math.min(MAX_DIGITS, digitCount(-(residual[k] ?? 0)));
      }
      room += (cellsLeft - capped) * MAX_DIGITS;
    } else {
      for (let j = 0; j <= i && room < digitsLeft; j++) room += Math.min(MAX_DIGITS, digitCount(capOf(j)));
    }
    if (room < digitsLeft) return;
    // ... and enough digits for what a rule still needs: k parts summing to N have one of at least N/k.
    for (let k = 0; k < rules.length; k++) {
      const open = openPlus[k] ?? 0;
      if (openMinus[k] !== 0 || open === 0) continue;
      const need = -(residual[k] ?? 0);
      const digitsForRule = digitsLeft - (cellsLeft - open);
      if (digitsForRule < open - 1 + digitCount(Math.ceil(need / open))) return;
    }
    if (tok.kind === 'cell') {
      if (assign(i, tok.value)) walk(i - 1, t - 1, lengthOf(tokens[t - 1]));
      unassign(i, tok.value);
      return;
    }
    const cap = capOf(i);
    const maxLength = Math.min(MAX_DIGITS, end, digitCount(cap));
    for (let length = 1; length <= maxLength; length++) {
      const start = end - length;
      if (length > 1 && tok.text[start] === '0') continue;
      const v = Number(tok.text.slice(start, end));
      if (v > cap) break;
      if (assign(i, v)) {
        if (start === 0) walk(i - 1, t - 1, lengthOf(tokens[t - 1]));
        else walk(i - 1, t, start);
      }
      unassign(i, v);
      if (!complete) return;
    }
  };
  walk(width - 1, tokens.length - 1, lengthOf(tokens[tokens.length - 1]));
  return { readings: complete ? readings.reverse() : [], complete, steps };
}

/** Digits of a non-negative number (MAX_DIGITS + 1 for anything longer, infinity included). */
function digitCount(n: number): number {
  let d = 1;
  for (let x = 10; d <= MAX_DIGITS && n >= x; x *= 10) d++;
  return d;
}

function lengthOf(tok: Token | undefined): number {
  return tok?.kind === 'digits' ? tok.text.length : 0;
}

/**
 * The row's readings under its rules; when none satisfies them all (the printed row is itself wrong),
 * under all but one rule at a time, then under none: a wrong total is then reported by validation
 * instead of hiding the row's other numbers.
 */
export function rowReadings(
  tokens: readonly Token[],
  width: number,
  rules: readonly SumRule<number>[],
  budget: number,
): { readings: Value[][] | null; relaxed: boolean; steps: number } {
  let steps = 0;
  const attempt = (subset: readonly SumRule<number>[]) => {
    const r = rowCandidates(tokens, width, subset, Math.max(0, budget - steps));
    steps += r.steps;
    return r;
  };
  const all = attempt(rules);
  if (!all.complete) return { readings: null, relaxed: false, steps };
  if (all.readings.length > 0) return { readings: all.readings, relaxed: false, steps };
  if (rules.length > 1) {
    const union: Value[][] = [];
    for (let k = 0; k < rules.length; k++) {
      const r = attempt(rules.filter((_, j) => j !== k));
      if (!r.complete) return { readings: null, relaxed: true, steps };
      union.push(...r.readings);
    }
    if (union.length > 0) return { readings: dedupe(union), relaxed: true, steps };
  }
  const none = attempt([]);
  return { readings: none.complete && none.readings.length > 0 ? none.readings : null, relaxed: true, steps };
}

function dedupe(readings: readonly Value[][]): Value[][] {
  const seen = new Map<string, Value[]>();
  for (const r of readings) seen.set(r.join(','), r);
  return [...seen.values()];
}

/** A cell the joint reading leaves open. */
export const AMBIGUOUS = Symbol('ambiguous');
export type Solved = Value | typeof AMBIGUOUS;

export interface JointResult {
  /** Per row (null rows stay null): each cell's value when all readings agree, else AMBIGUOUS. */
  cells: (Solved[] | null)[];
  /**
   * `unique`: one reading of every row; `ambiguous`: some cells open; `inconsistent`: no reading
   * satisfies every rule (cells are then read under relaxed rules).
   */
  outcome: 'unique' | 'ambiguous' | 'inconsistent';
  steps: number;
}

/** Collapses a row's readings: a cell all readings agree on, or AMBIGUOUS. */
export function agree(readings: readonly Value[][], width: number): Solved[] {
  return Array.from({ length: width }, (_, c) => {
    const first = readings[0]?.[c] ?? null;
    return readings.every((r) => (r[c] ?? null) === first) ? first : AMBIGUOUS;
  });
}

interface Term {
  row: number;
  column: number;
  sign: 1 | -1;
}

const SET_CAP = 1024;

/**
 * Chooses one reading per row so that every table rule holds: rows given as their candidate readings
 * (null: a row that could not be read, which no rule then uses). Propagation first (a reading whose
 * value in some rule's cell cannot be balanced by the other rows' values is dropped), then a bounded
 * backtracking search that records which readings take part in some full solution.
 */
export function solveJoint(
  rows: readonly (readonly Value[][] | null)[],
  width: number,
  rules: readonly SumRule<CellRef>[],
  budget: number,
): JointResult {
  const usable = rules.filter((rule) =>
    [...rule.plus, ...rule.minus].every(([r, c]) => {
      const readings = rows[r];
      return readings?.every((x) => typeof x[c] === 'number') ?? false;
    }),
  );
  const first = solveUnder(rows, width, usable, budget);
  if (first.outcome !== 'inconsistent') return first;
  // No reading balances everything: the printed table breaks a rule. Read under every rule but one,
  // then under none, and let validation report the broken rule on the numbers read.
  let steps = first.steps;
  const alive: (Map<string, Value[]> | null)[] = rows.map((r) => (r == null ? null : new Map()));
  let any = false;
  for (let k = 0; k < usable.length && steps < budget; k++) {
    const r = solveAlive(
      rows,
      usable.filter((_, j) => j !== k),
      budget - steps,
    );
    steps += r.steps;
    if (r.alive === null) continue;
    any = true;
    r.alive.forEach((list, i) => {
      for (const reading of list ?? []) alive[i]?.set(reading.join(','), reading);
    });
  }
  const cells = rows.map((readings, i) => {
    if (readings == null) return null;
    const found = alive[i];
    const pool =
      any && found !== null && found !== undefined && found.size > 0 ? [...found.values()] : readings;
    return agree(pool, width);
  });
  return { cells, outcome: 'inconsistent', steps };
}

function solveUnder(
  rows: readonly (readonly Value[][] | null)[],
  width: number,
  rules: readonly SumRule<CellRef>[],
  budget: number,
): JointResult {
  const r = solveAlive(rows, rules, budget);
  if (r.alive === null) return { cells: rows.map(() => null), outcome: 'inconsistent', steps: r.steps };
  const cells = r.alive.map((list) => (list === null ? null : agree(list, width)));
  const open = cells.some((row) => row?.includes(AMBIGUOUS));
  return { cells, outcome: open ? 'ambiguous' : 'unique', steps: r.steps };
}

/**
 * The readings of each row that take part in some solution (or, when the search ran out of budget,
 * those propagation kept: a superset, so still sound). alive null: no solution at all.
 */
function solveAlive(
  rows: readonly (readonly Value[][] | null)[],
  rules: readonly SumRule<CellRef>[],
  budget: number,
): { alive: (Value[][] | null)[] | null; steps: number } {
  const live: (Value[][] | null)[] = rows.map((r) => (r == null ? null : [...r]));
  const terms: Term[][] = rules.map((rule) => [
    ...rule.plus.map(([row, column]): Term => ({ row, column, sign: 1 })),
    ...rule.minus.map(([row, column]): Term => ({ row, column, sign: -1 })),
  ]);
  let steps = 0;
  // Propagation to a fixpoint: drop readings whose value no combination of the others can balance.
  for (let changed = true; changed && steps < budget; ) {
    changed = false;
    for (const rule of terms) {
      steps += rule.length;
      const sets = rule.map((t) => new Set((live[t.row] ?? []).map((x) => termOf(x, t))));
      const prefix: (Set<number> | null)[] = [new Set([0])];
      const suffix: (Set<number> | null)[] = new Array(rule.length + 1).fill(null);
      suffix[rule.length] = new Set([0]);
      for (const [k, set] of sets.entries()) prefix.push(sumSets(prefix[k] ?? null, set));
      for (const [k, set] of [...sets.entries()].reverse()) suffix[k] = sumSets(suffix[k + 1] ?? null, set);
      rule.forEach((t, k) => {
        const before = prefix[k];
        const after = suffix[k + 1];
        if (before == null || after == null) return;
        const list = live[t.row];
        if (list == null) return;
        const kept = list.filter((x) => {
          const v = termOf(x, t);
          for (const p of before) if (after.has(-(p + v))) return true;
          return false;
        });
        if (kept.length !== list.length) {
          live[t.row] = kept;
          changed = true;
        }
      });
      if (live.some((l) => l !== null && l.length === 0)) return { alive: null, steps };
    }
  }
  const open = live.flatMap((l, i) => (l !== null && l.length > 1 ? [i] : []));
  if (open.length === 0) {
    return { alive: rulesHold(live, terms) ? live : null, steps };
  }
  // Backtracking over the rows left open, fewest readings first, with interval bounds on every rule.
  open.sort((a, b) => (live[a]?.length ?? 0) - (live[b]?.length ?? 0));
  const chosen: (Value[] | null)[] = live.map((l) => (l !== null && l.length === 1 ? (l[0] ?? null) : null));
  const used: Set<number>[] = live.map(() => new Set());
  let solutions = 0;
  let exhausted = false;
  const feasible = (): boolean => {
    for (const rule of terms) {
      let lo = 0;
      let hi = 0;
      for (const t of rule) {
        const fixed = chosen[t.row];
        if (fixed != null) {
          const v = termOf(fixed, t);
          lo += v;
          hi += v;
          continue;
        }
        let min = Number.POSITIVE_INFINITY;
        let max = Number.NEGATIVE_INFINITY;
        for (const x of live[t.row] ?? []) {
          const v = termOf(x, t);
          if (v < min) min = v;
          if (v > max) max = v;
        }
        lo += min;
        hi += max;
      }
      if (lo > 0 || hi < 0) return false;
    }
    return true;
  };
  const walk = (depth: number): void => {
    if (exhausted) return;
    if (steps++ > budget) {
      exhausted = true;
      return;
    }
    if (!feasible()) return;
    const row = open[depth];
    if (row === undefined) {
      solutions++;
      for (const i of open) {
        const pick = chosen[i];
        used[i]?.add(pick == null ? -1 : (live[i]?.indexOf(pick) ?? -1));
      }
      return;
    }
    for (const reading of live[row] ?? []) {
      chosen[row] = reading;
      walk(depth + 1);
      if (exhausted) break;
    }
    chosen[row] = null;
  };
  walk(0);
  if (exhausted) return { alive: live, steps };
  if (solutions === 0) return { alive: null, steps };
  const alive = live.map((l, i) =>
    l === null || !open.includes(i) ? l : l.filter((_, k) => used[i]?.has(k)),
  );
  return { alive, steps };
}

/** A reading's signed value in a rule: a blank cell (null) counts 0, as arithmetic on null does. */
const termOf = (reading: readonly Value[], t: Term): number => (reading[t.column] ?? 0) * t.sign;

function sumSets(a: Set<number> | null, b: Set<number>): Set<number> | null {
  if (a === null || a.size * b.size > SET_CAP * 4) return null;
  const out = new Set<number>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out.size > SET_CAP ? null : out;
}

function rulesHold(live: readonly (Value[][] | null)[], terms: readonly Term[][]): boolean {
  return terms.every(
    (rule) =>
      // A blank (null) or missing cell makes the sum no number: the rule does not hold.
      rule.reduce((s, t) => s + (live[t.row]?.[0]?.[t.column] ?? Number.NaN) * t.sign, 0) === 0,
  );
}
