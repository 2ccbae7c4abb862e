/** A one-line progress bar on stderr, drawn only when stderr is a terminal and there is more than one file. */
export class Progress {
  readonly #total: number;
  readonly #enabled: boolean;
  #done = 0;

  constructor(total: number, stream: NodeJS.WriteStream = process.stderr) {
    this.#total = total;
    this.#enabled = total > 1 && stream.isTTY === true;
  }

  tick(label: string): void {
    this.#done++;
    if (!this.#enabled) return;
    const width = 24;
    const filled = Math.round((this.#done / this.#total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const name = label.length > 40 ? `…${label.slice(-39)}` : label;
    process.stderr.write(`\r\x1b[2K${bar} ${this.#done}/${this.#total} ${name}`);
  }

  /** Clears the bar before normal output is written. */
  clear(): void {
    if (this.#enabled) process.stderr.write('\r\x1b[2K');
  }
}
