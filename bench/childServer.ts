// A server of the benchmark in a child process of its own, so that it has a core to itself and its
// start-up and logging are those of a real run. Its stdout goes to a file, not a pipe to this
// process: a pipe would make the load generator spend its own CPU reading the server's log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ChildServer {
  readonly url: string;
  readonly pid: number;
  /** Where the child's stdout went (its log lines). */
  readonly stdoutPath: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

/**
 * Runs `node ...args` with `env` and answers once its stdout names the URL it listens on (the
 * local server's "listening" line; the ceiling server prints the same).
 */
export async function startChildServer(args: readonly string[], env: NodeJS.ProcessEnv, stdoutPath: string): Promise<ChildServer> {
  const stdout = openSync(stdoutPath, 'w');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, args, { env, stdio: ['ignore', stdout, 'inherit'] });
  } finally {
    closeSync(stdout);
  }
  const url = await listeningUrl(child, stdoutPath);
  return {
    url,
    pid: child.pid!,
    stdoutPath,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function listeningUrl(child: ChildProcess, stdoutPath: string): Promise<string> {
  const giveUpAt = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const match = / listening on (https?:\/\/\S+)/.exec(readFileSync(stdoutPath, 'utf8'));
    if (match) return match[1]!;
    if (child.exitCode !== null) throw new Error(`node ${child.spawnargs.slice(1).join(' ')} exited with ${child.exitCode}`);
    if (Date.now() > giveUpAt) {
      child.kill('SIGKILL');
      throw new Error(`node ${child.spawnargs.slice(1).join(' ')} did not start within ${START_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
