import { describe, expect, it } from 'vitest';
import { csvCell } from '../../functions/api/status-csv.ts';

/** CSV cells a spreadsheet would run as a formula are neutralised (OWASP's list; issue 22: TAB and CR). */
describe('csvCell', () => {
  it('prefixes a cell starting with = + - @ TAB or CR with an apostrophe, and quotes what needs it', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) {
      expect(csvCell(`${lead}cmd|' /C calc'!A0`).replace(/^"/, '').startsWith(`'${lead}`)).toBe(true);
    }
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`);
    expect(csvCell('清河区教育局')).toBe('清河区教育局');
    expect(csvCell(12)).toBe('12');
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
  });
});
