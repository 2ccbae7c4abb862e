import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from '../../bin/commands/progress.ts';

/** The CLI's one progress bar: files for `check`, bytes for `upload`; silent when not on a terminal. */
const terminal = (tty: boolean) => {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      out.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  stream.isTTY = tty;
  return { stream, out };
};

describe('Progress', () => {
  it('counts files on a terminal and clears its line', () => {
    const { stream, out } = terminal(true);
    const bar = new Progress(4, { stream, minTotal: 2 });
    bar.tick('a.pdf');
    bar.tick('b.pdf');
    bar.clear();
    expect(out[1]).toBe(`\r\x1b[2K${'█'.repeat(12)}${'░'.repeat(12)} 2/4 b.pdf`);
    expect(out.at(-1)).toBe('\r\x1b[2K');
  });

  it('shows a percentage of bytes', () => {
    const { stream, out } = terminal(true);
    const bar = new Progress(1000, { stream, percent: true });
    bar.update(250, '上传');
    expect(out[0]).toBe(`\r\x1b[2K${'█'.repeat(6)}${'░'.repeat(18)} 25% 上传`);
  });

  it('draws nothing when piped, or for a single file', () => {
    const piped = terminal(false);
    new Progress(5, { stream: piped.stream }).tick('a.pdf');
    const single = terminal(true);
    const one = new Progress(1, { stream: single.stream, minTotal: 2 });
    one.tick('a.pdf');
    one.clear();
    expect([...piped.out, ...single.out]).toEqual([]);
  });
});
