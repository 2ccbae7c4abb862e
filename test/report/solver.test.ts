import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  type RequestColumn,
  type RequestRow,
} from '../../functions/report/index.ts';
import { ABSENT, digitCell, type ParsedCell } from '../../functions/report/tables/parsed.ts';
import { type FlatRow, recoverAppeals, recoverRequests } from '../../functions/report/tables/recover.ts';
import {
  AMBIGUOUS,
  rowCandidates,
  rowReadings,
  type SumRule,
  solveJoint,
  type Token,
} from '../../functions/report/tables/solver.ts';
import { consistentAppeals, consistentRequests } from '../support/report-builder.ts';

const ROW_TOTAL: SumRule<number> = { plus: [0, 1, 2, 3, 4, 5], minus: [6] };
const digits = (...texts: string[]): Token[] => texts.map((text) => ({ kind: 'digits', text }));

describe('rowCandidates: splitting one row', () => {
  it('splits the issue example by its total', () => {
    expect(rowCandidates(digits('21710000218'), 7, [ROW_TOTAL], 10_000).readings).toEqual([
      [217, 1, 0, 0, 0, 0, 218],
    ]);
  });

  it('never gives a part a leading zero, so a row of zeros has one reading', () => {
    expect(rowCandidates(digits('0000000'), 7, [], 10_000).readings).toEqual([[0, 0, 0, 0, 0, 0, 0]]);
    expect(rowCandidates(digits('00000000'), 7, [], 10_000).readings).toEqual([]);
    expect(rowCandidates(digits('105'), 2, [], 10_000).readings).toEqual([[10, 5]]);
    // Printed again, every reading gives back the digits: no part dropped a leading zero ("05").
    const r = rowCandidates(digits('10500015'), 7, [], 10_000).readings;
    expect(r.length).toBeGreaterThan(0);
    for (const x of r) expect(x.join('')).toBe('10500015');
  });

  it('cuts where the page kept a space, and keeps a cell printed on its own', () => {
    expect(rowCandidates(digits('500000', '5'), 7, [ROW_TOTAL], 10_000).readings).toEqual([
      [5, 0, 0, 0, 0, 0, 5],
    ]);
    const withText: Token[] = [
      { kind: 'digits', text: '30000' },
      { kind: 'cell', value: null },
      ...digits('3'),
    ];
    expect(rowCandidates(withText, 7, [], 10_000).readings).toEqual([[3, 0, 0, 0, 0, null, 3]]);
  });

  it('stops at its budget on a row of 40 digits and says the list is incomplete', () => {
    const r = rowCandidates(digits('1'.repeat(40)), 7, [ROW_TOTAL], 5_000);
    expect(r.steps).toBeLessThanOrEqual(5_001);
    if (!r.complete) expect(r.readings).toEqual([]);
  });

  it('relaxes a broken total: the row is still split where the digits allow only one reading', () => {
    // 3|0|0|0|0|0|4 cannot balance; seven digits for seven cells leave one reading anyway.
    const r = rowReadings(digits('3000004'), 7, [ROW_TOTAL], 10_000);
    expect(r).toMatchObject({ readings: [[3, 0, 0, 0, 0, 0, 4]], relaxed: true });
  });
});

describe('solveJoint: the whole table', () => {
  // Three rows a, b and their sum s, per column: a + b = s.
  const rules: SumRule<readonly [number, number]>[] = [0, 1].map((c) => ({
    plus: [
      [0, c],
      [1, c],
    ],
    minus: [[2, c]],
  }));

  it('keeps the reading of each row that the column sums allow', () => {
    const r = solveJoint(
      [
        [
          [1, 10],
          [11, 0],
        ],
        [[2, 2]],
        [[3, 12]],
      ],
      2,
      rules,
      10_000,
    );
    expect(r.outcome).toBe('unique');
    expect(r.cells).toEqual([
      [1, 10],
      [2, 2],
      [3, 12],
    ]);
  });

  it('leaves open exactly the cells two readings disagree on', () => {
    const swap = [
      [1, 10],
      [11, 0],
    ];
    const r = solveJoint([swap, swap, [[12, 10]]], 2, rules, 10_000);
    expect(r.outcome).toBe('ambiguous');
    expect(r.cells).toEqual([
      [AMBIGUOUS, AMBIGUOUS],
      [AMBIGUOUS, AMBIGUOUS],
      [12, 10],
    ]);
  });

  it('ignores rules over rows or cells it has no number for', () => {
    const r = solveJoint([[[1, null]], null, [[3, 4]]], 2, rules, 10_000);
    expect(r.cells).toEqual([[1, null], null, [3, 4]]);
  });

  it('says inconsistent when no reading balances, and reads under the other rules', () => {
    const r = solveJoint([[[1, 1]], [[1, 1]], [[5, 2]]], 2, rules, 10_000);
    expect(r.outcome).toBe('inconsistent');
    expect(r.cells).toEqual([
      [1, 1],
      [1, 1],
      [5, 2],
    ]);
  });
});

/** Counts as a page prints them: mostly zeros, some small, a few large. */
const count = fc.oneof(
  { weight: 8, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 9 }) },
  { weight: 2, arbitrary: fc.integer({ min: 10, max: 99 }) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 9999 }) },
);
const six = fc.array(count, { minLength: 6, maxLength: 6 });
const table = fc.record({
  results: fc.array(six, { minLength: 21, maxLength: 21 }),
  from: six,
  next: six,
  flattenShare: fc.double({ min: 0.2, max: 1, noNaN: true }),
  seed: fc.integer(),
});

interface Table {
  results: number[][];
  from: number[];
  next: number[];
  flattenShare: number;
  seed: number;
}

function flattenTable(t: Table) {
  const values = consistentRequests(t.results, t.from, t.next);
  const keys = REQUEST_ROW_KEYS.filter((k) => k !== 'otherTotal2019');
  const rows = Object.fromEntries(
    REQUEST_ROW_KEYS.map((k) => [k, Object.fromEntries(REQUEST_COLUMNS.map((c) => [c, ABSENT]))]),
  ) as Record<RequestRow, Record<RequestColumn, ParsedCell>>;
  const flat: FlatRow[] = [];
  keys.forEach((key, i) => {
    const numbers = REQUEST_COLUMNS.map((c) => Number(values[key][c]));
    // A share of the rows ran together; the others kept their cells.
    if (((t.seed >>> (i % 31)) & 1) === 1 || i / keys.length < t.flattenShare) {
      const text = numbers.join('');
      flat.push({ row: key, values: [digitCell(text, 0)], text });
    } else {
      rows[key] = Object.fromEntries(
        REQUEST_COLUMNS.map((c, j) => [c, { state: 'number', value: numbers[j] ?? 0 }]),
      ) as Record<RequestColumn, ParsedCell>;
    }
  });
  return { values, keys, rows, flat };
}

describe('properties: a consistent table flattened without separators', () => {
  it('requests: every cell is read exactly or left open, never misread', () => {
    fc.assert(
      fc.property(table, (t) => {
        const { values, keys, rows, flat } = flattenTable(t);
        const notes = recoverRequests(rows, flat, '2021');
        for (const key of keys) {
          for (const c of REQUEST_COLUMNS) {
            const cell = rows[key][c];
            if (cell.state === 'unreadable') continue;
            expect(cell).toEqual({ state: 'number', value: values[key][c] });
          }
        }
        const open = keys.some((k) => REQUEST_COLUMNS.some((c) => rows[k][c].state === 'unreadable'));
        expect(notes.some((n) => n.kind === 'unreadable')).toBe(open);
        expect(notes.filter((n) => n.kind === 'recovered').length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('appeals: the three groups are read exactly or left open, never misread', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(count, { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (parts, spaces) => {
          const appeals = consistentAppeals(parts);
          const numbers = APPEAL_GROUPS.flatMap((g) => APPEAL_COLUMNS.map((c) => Number(appeals[g][c])));
          // No separator at all, or a space between the groups (some pages keep one).
          const groups = [0, 1, 2].map((g) => numbers.slice(g * 5, g * 5 + 5).join(''));
          const texts = spaces === 0 ? [groups.join('')] : groups;
          const r = recoverAppeals(
            texts.map((x) => digitCell(x, 0)),
            texts.join(' '),
          );
          if (r === null) return;
          r.cells.forEach((cell, i) => {
            if (cell.state !== 'unreadable') expect(cell).toEqual({ state: 'number', value: numbers[i] });
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rowCandidates finds exactly the splits a brute force finds, spaces and totals included', () => {
    const brute = (text: string, cuts: number[], width: number, rules: SumRule<number>[]) => {
      const out: number[][] = [];
      const walk = (at: number, parts: string[]) => {
        if (at === text.length) {
          const v = parts.map(Number);
          if (parts.length === width && rules.every((r) => sum(v, r.plus) === sum(v, r.minus))) out.push(v);
          return;
        }
        for (let end = at + 1; end <= text.length; end++) {
          const part = text.slice(at, end);
          if ((part.length > 1 && part[0] === '0') || part.length > 7) break;
          if (cuts.some((c) => c > at && c < end)) break;
          walk(end, [...parts, part]);
        }
      };
      walk(0, []);
      return out;
    };
    const sum = (v: number[], cells: readonly number[]) => cells.reduce((a, c) => a + (v[c] ?? 0), 0);
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('0', '0', '1', '2', '5'), minLength: 7, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 11 }), { maxLength: 2 }),
        fc.boolean(),
        (text, rawCuts, withTotal) => {
          const cuts = [...new Set(rawCuts.filter((c) => c < text.length))].sort((a, b) => a - b);
          const pieces = [0, ...cuts, text.length]
            .slice(1)
            .map((end, k, all) => text.slice(k === 0 ? 0 : all[k - 1], end));
          const rules = withTotal ? [ROW_TOTAL] : [];
          const got = rowCandidates(digits(...pieces.filter((p) => p !== '')), 7, rules, 1_000_000);
          expect(got.complete).toBe(true);
          const key = (r: readonly (number | null)[]) => r.join(',');
          expect(got.readings.map(key).sort()).toEqual(brute(text, cuts, 7, rules).map(key).sort());
        },
      ),
      { numRuns: 400 },
    );
  });

  it('terminates within its budget on adversarial digit strings', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('0', '1', '9'), minLength: 1, maxLength: 60 }),
        fc.boolean(),
        (text, appeals) => {
          const width = appeals ? 15 : 7;
          const rules = appeals
            ? [0, 5, 10].map((a) => ({ plus: [a, a + 1, a + 2, a + 3], minus: [a + 4] }))
            : [ROW_TOTAL];
          const r = rowReadings(digits(text), width, rules, 20_000);
          expect(r.steps).toBeLessThanOrEqual(20_000 + rules.length + 2);
        },
      ),
      { numRuns: 200 },
    );
  });
});
