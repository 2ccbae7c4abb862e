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
 * token is one cell. Depth-first, rules checked as soon as their cells are known, partial sums bounded
 * by the largest number the remaining digits could still print.
 */
export function rowCandidates(
  tokens: readonly Token[],
  width: number,
  rules: readonly SumRule<number>[],
  budget: number,
): RowCandidates {
  const readings: Value[][] = [];
  const parts: Value[] = [];
  // Digits left from token t onwards, and cells the remaining tokens need at least.
  const digitsFrom: number[] = new Array(tokens.length + 1).fill(0);
  const minCellsFrom: number[] = new Array(tokens.length + 1).fill(0);
  const cellTokensFrom: number[] = new Array(tokens.length + 1).fill(0);
  for (let t = tokens.length - 1; t >= 0; t--) {
    const tok = tokens[t] as Token;
    digitsFrom[t] = (digitsFrom[t + 1] ?? 0) + (tok.kind === 'digits' ? tok.text.length : 0);
    minCellsFrom[t] = (minCellsFrom[t + 1] ?? 0) + 1;
    cellTokensFrom[t] = (cellTokensFrom[t + 1] ?? 0) + (tok.kind === 'cell' ? 1 : 0);
  }
  const lastIndex = rules.map((r) => Math.max(...r.plus, ...r.minus));
  let steps = 0;
  let complete = true;

  const holds = (i: number): boolean => {
    for (let k = 0; k < rules.length; k++) {
      const rule = rules[k] as SumRule<number>;
      if (lastIndex[k] !== i) continue;
      let sum = 0;
      for (const c of rule.plus) sum += parts[c] ?? Number.NaN;
      for (const c of rule.minus) sum -= parts[c] ?? Number.NaN;
      if (sum !== 0) return false;
    }
    return true;
  };

  /** Partial sums that already exceed any number the remaining digits can print cannot balance. */
  const bounded = (i: number, remainingDigits: number, cellsLeft: number): boolean => {
    const room = Math.min(MAX_DIGITS, remainingDigits - (cellsLeft - 1));
    const ceiling = room <= 0 ? 0 : 10 ** room - 1;
    for (let k = 0; k < rules.length; k++) {
      const rule = rules[k] as SumRule<number>;
      if ((lastIndex[k] ?? 0) <= i) continue;
      for (const side of [rule.plus, rule.minus]) {
        const other = side === rule.plus ? rule.minus : rule.plus;
        // Only a side that is fully known while the other has exactly one unknown cell gives a bound.
        if (side.some((c) => c > i)) continue;
        const open = other.filter((c) => c > i);
        if (open.length !== 1) continue;
        let known = 0;
        for (const c of side) known += parts[c] ?? 0;
        for (const c of other) if (c <= i) known -= parts[c] ?? 0;
        if (known < 0 || known > ceiling) return false;
      }
    }
    return true;
  };

  const walk = (t: number, offset: number): void => {
    if (!complete) return;
    if (++steps > budget) {
      complete = false;
      return;
    }
    const i = parts.length;
    if (t === tokens.length) {
      if (i === width) readings.push([...parts]);
      return;
    }
    const tok = tokens[t] as Token;
    if (tok.kind === 'cell') {
      if (i >= width) return;
      parts.push(tok.value);
      if (holds(i) && bounded(i, digitsFrom[t + 1] ?? 0, width - i - 1)) walk(t + 1, 0);
      parts.pop();
      return;
    }
    const text = tok.text;
    const restCells = minCellsFrom[t + 1] ?? 0;
    for (let end = offset + 1; end <= text.length && end - offset <= MAX_DIGITS; end++) {
      if (text[offset] === '0' && end > offset + 1) break;
      const cellsAfter = width - i - 1;
      const digitsAfter = text.length - end + (digitsFrom[t + 1] ?? 0);
      const tokenDone = end === text.length;
      // Cells still needed: the rest of this token (if any) and one per later token at least.
      const needAtLeast = (tokenDone ? 0 : 1) + restCells;
      if (needAtLeast > cellsAfter) continue;
      // Cells still possible: one per remaining digit plus one per later cell token.
      if (digitsAfter + (cellTokensFrom[t + 1] ?? 0) < cellsAfter) break;
      parts.push(Number(text.slice(offset, end)));
      if (holds(i) && bounded(i, digitsAfter, cellsAfter)) {
        if (tokenDone) walk(t + 1, 0);
        else walk(t, end);
      }
      parts.pop();
      if (!complete) return;
    }
  };
  walk(0, 0);
  return { readings: complete ? readings : [], complete, steps };
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

const SET_CAP = 4096;

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
      const sets = rule.map((t) => new Set((live[t.row] ?? []).map((x) => (x[t.column] as number) * t.sign)));
      const prefix: (Set<number> | null)[] = [new Set([0])];
      const suffix: (Set<number> | null)[] = new Array(rule.length + 1).fill(null);
      suffix[rule.length] = new Set([0]);
      for (let k = 0; k < rule.length; k++) prefix.push(sumSets(prefix[k] ?? null, sets[k] as Set<number>));
      for (let k = rule.length - 1; k >= 0; k--)
        suffix[k] = sumSets(suffix[k + 1] ?? null, sets[k] as Set<number>);
      rule.forEach((t, k) => {
        const before = prefix[k];
        const after = suffix[k + 1];
        if (before == null || after == null) return;
        const list = live[t.row];
        if (list == null) return;
        const kept = list.filter((x) => {
          const v = (x[t.column] as number) * t.sign;
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
          const v = (fixed[t.column] as number) * t.sign;
          lo += v;
          hi += v;
          continue;
        }
        let min = Number.POSITIVE_INFINITY;
        let max = Number.NEGATIVE_INFINITY;
        for (const x of live[t.row] ?? []) {
          const v = (x[t.column] as number) * t.sign;
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
      for (const i of open) used[i]?.add(live[i]?.indexOf(chosen[i] as Value[]) ?? -1);
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

function sumSets(a: Set<number> | null, b: Set<number>): Set<number> | null {
  if (a === null || a.size * b.size > SET_CAP * 4) return null;
  const out = new Set<number>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out.size > SET_CAP ? null : out;
}

function rulesHold(live: readonly (Value[][] | null)[], terms: readonly Term[][]): boolean {
  return terms.every(
    (rule) =>
      rule.reduce((s, t) => s + ((live[t.row]?.[0]?.[t.column] as number) ?? Number.NaN) * t.sign, 0) === 0,
  );
}
