/**
 * The one progress bar of the CLI, on stderr and only on a terminal (piped output stays clean): `check`
 * counts files, `upload` counts bytes. Each redraw replaces the line; `clear` wipes it before normal output.
 */
export class Progress {
  readonly #total: number;
  readonly #enabled: boolean;
  readonly #percent: boolean;
  readonly #stream: NodeJS.WriteStream;
  #done = 0;

  /**
   * `minTotal`: draw only when there are at least this many steps (one file needs no bar); `percent`:
   * show a percentage instead of done/total (bytes).
   */
  constructor(
    total: number,
    options: { stream?: NodeJS.WriteStream; minTotal?: number; percent?: boolean } = {},
  ) {
    this.#total = total;
    this.#stream = options.stream ?? process.stderr;
    this.#percent = options.percent ?? false;
    this.#enabled = total >= (options.minTotal ?? 1) && this.#stream.isTTY === true;
  }

  /** One more step done, labelled (a file name). */
  tick(label: string): void {
    this.update(this.#done + 1, label);
  }

  /** `done` of the total reached. */
  update(done: number, label = ''): void {
    this.#done = done;
    if (!this.#enabled) return;
    const width = 24;
    const share = this.#total === 0 ? 1 : Math.min(1, this.#done / this.#total);
    const filled = Math.round(share * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const count = this.#percent ? `${Math.round(share * 100)}%` : `${this.#done}/${this.#total}`;
    const name = label.length > 40 ? `…${label.slice(-39)}` : label;
    this.#stream.write(`\r\x1b[2K${bar} ${count}${name === '' ? '' : ` ${name}`}`);
  }

  /** Clears the bar before normal output is written. */
  clear(): void {
    if (this.#enabled) this.#stream.write('\r\x1b[2K');
  }
}
