import { describe, expect, it } from 'vitest';
import { numberReading } from '../../functions/extract/ocr/read-page.ts';

/**
 * A number cell's reading (issue 24): dust at a number's ends is dropped, and then the reading is never
 * a sure one; a clean, well-formed reading that the unrestricted decoder agrees with keeps its confidence.
 */
describe('numberReading', () => {
  it.each([
    ['0.', '0'],
    ['.0', '0'],
    ['0..', '0'],
    ['31.', '31'],
    [',7', '7'],
    ['0-', '0'],
  ])('%s reads as %s, doubtful', (digits, text) => {
    const r = numberReading(digits, 0.99, digits);
    expect(r.text).toBe(text);
    expect(r.confidence).toBeLessThan(0.9);
  });

  it.each(['0', '12', '1.25', '1,234', '-3'])('%s stays as read and sure', (digits) => {
    expect(numberReading(digits, 0.98, digits)).toEqual({ text: digits, confidence: 0.98 });
  });

  it('ink the digit decoder passed over ("0 read beside a quote mark) makes the reading doubtful', () => {
    expect(numberReading('0', 0.99, '"0')).toEqual({ text: '0', confidence: 0.5 });
  });

  it('a malformed number (two decimal points) is doubtful', () => {
    expect(numberReading('1.2.5', 0.99, '1.2.5').confidence).toBeLessThan(0.9);
  });

  it('a dash alone (not applicable) is kept as it is', () => {
    expect(numberReading('-', 0.97, '-')).toEqual({ text: '-', confidence: 0.97 });
  });
});
