// Log lines leave the process in batches: the lines recorded during one turn of the event loop go
// out in one write at its end. A write per request cost the local server a system call per request
// on its only thread (node writes stdout synchronously to a file or a terminal, and tries a pipe
// at once too): 9% of its CPU profile under load, in the write alone. On Lambda one turn serves
// one request, and its line is written before the runtime asks for the next one.

/** Lines written at once at the latest: a batch of bounded size, whatever a turn records. */
const MAX_LINES_PER_WRITE = 1_000;

export class BufferedLines {
  private pending: string[] = [];
  private scheduled = false;

  constructor(private readonly out: (chunk: string) => void) {}

  /** Queues one line (without its newline) for the end of this turn. */
  write(line: string): void {
    this.pending.push(line);
    if (this.pending.length >= MAX_LINES_PER_WRITE) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes every queued line now. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    this.out(`${lines.join('\n')}\n`);
  }
}

let stdoutLines: BufferedLines | undefined;

/** The process's stdout, batched; what is still queued is written when the process exits. */
export function stdoutLine(line: string): void {
  if (!stdoutLines) {
    const lines = new BufferedLines((chunk) => process.stdout.write(chunk));
    process.once('exit', () => lines.flush());
    stdoutLines = lines;
  }
  stdoutLines.write(line);
}
