// A built Lambda bundle running in a child process of its own, so that it reads an environment of
// its own when it is imported (configuration is read once, at module load, as on Lambda). Handlers
// are invoked over IPC with API Gateway events; the child is plain node, with no TypeScript loader.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { HttpResult } from '../../src/adapters/lambda/responses.js';

const HOST = fileURLToPath(new URL('./bundleHost.mjs', import.meta.url));

interface Reply {
  id?: number;
  ready?: boolean;
  result?: unknown;
  error?: string;
}

export class BundleProcess {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: Reply) => void>();

  private stdout = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.on('message', (reply: Reply) => {
      if (reply.id === undefined) return;
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  /** Imports the bundle in a new process whose whole environment is `env`; rejects with its stderr if the import fails. */
  static async start(bundlePath: string, env: Record<string, string>): Promise<BundleProcess> {
    const child = fork(HOST, [], {
      env: { ...env, BUNDLE_PATH: bundlePath },
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await new Promise<void>((resolve, reject) => {
      child.on('message', (reply: Reply) => reply.ready && resolve());
      child.once('exit', (code) => reject(new Error(`the bundle exited with ${code} while loading:\n${stderr}`)));
    });
    return new BundleProcess(child);
  }

  /** Calls the exported handler as Lambda would, and answers its result. */
  invoke(handler: string, event: unknown): Promise<HttpResult> {
    return this.request({ handler, event }) as Promise<HttpResult>;
  }

  /**
   * The first line the bundle writes to stdout (its log and metrics) that `matches`: stdout and the
   * IPC channel are separate pipes, so a handler's answer may arrive before its lines. Waits up to
   * five seconds for it.
   */
  async stdoutLine(matches: (line: string) => boolean): Promise<string> {
    for (let waited = 0; ; waited += 20) {
      const found = this.stdout.split('\n').find((line) => line !== '' && matches(line));
      if (found !== undefined) return found;
      if (waited >= 5000) throw new Error(`no line of the bundle's stdout matched; it wrote:\n${this.stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The bundle's exports and the `typeof` of each. */
  exportTypes(): Promise<Record<string, string>> {
    return this.request({}) as Promise<Record<string, string>>;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill();
    await exited;
  }

  private request(message: { handler?: string; event?: unknown }): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) => (reply.error === undefined ? resolve(reply.result) : reject(new Error(reply.error))));
      this.child.send({ id, ...message });
    });
  }
}
