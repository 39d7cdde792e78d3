import type { Io } from './io.js';

/**
 * A one-line counter on stderr for work that takes more than a second. Only on a terminal, so
 * redirected output, CI logs and every --format stay clean.
 */
export class Progress {
  private readonly started: number;
  private lastDraw = 0;
  private shown = false;

  constructor(
    private readonly io: Pick<Io, 'stderr' | 'stderrTTY'>,
    private readonly label: string,
    private readonly clock: () => number = () => performance.now(),
    private readonly afterMs = 1000,
  ) {
    this.started = clock();
  }

  update(done: number, total: number): void {
    if (!this.io.stderrTTY) return;
    const now = this.clock();
    if (now - this.started < this.afterMs || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.shown = true;
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    this.io.stderr(`\r\u001b[K${this.label} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} files (${percent}%)`);
  }

  /** Clears the line, if one was drawn. */
  end(): void {
    if (this.shown) this.io.stderr('\r\u001b[K');
    this.shown = false;
  }
}
