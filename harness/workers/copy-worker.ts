import { parentPort, workerData } from 'node:worker_threads';
import { engineFor } from '../engines/index.js';
import type { Database } from '../model/database.js';
import { describeError, isAbortError } from '../base/errors.js';
import { strategies } from '../../strategies/index.js';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.js';

/**
 * A copy worker thread: its own connections, its own event loop, so row decoding and encoding for the
 * tasks it runs use another core. Runs strategy.copyTask exactly as the main thread would.
 */
const port = parentPort!;
const setup = workerData as WorkerSetup;
const send = (m: FromWorker) => port.postMessage(m);
const running = new Map<number, AbortController>();
let dbs: { source: Database; target: Database } | undefined;

try {
  const options = (role: 'source' | 'target') => ({
    role,
    poolSize: setup.poolSize,
    applicationName: setup.applicationName,
    peer: setup[role === 'source' ? 'target' : 'source'].engine,
  });
  dbs = {
    source: await (await engineFor(setup.source.engine)).connect(setup.source.url, options('source')),
    target: await (await engineFor(setup.target.engine)).connect(setup.target.url, options('target')),
  };
  send({ type: 'ready' });
} catch (err) {
  send({ type: 'setup-failed', error: describeError(err) });
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'abort') running.get(m.id)?.abort(new Error('aborted'));
  if (m.type === 'close') void close();
  if (m.type === 'task') void run(m);
});

async function run(m: Extract<ToWorker, { type: 'task' }>): Promise<void> {
  const controller = new AbortController();
  running.set(m.id, controller);
  try {
    const stats = await strategies[m.strategy].copyTask({
      source: dbs!.source,
      target: dbs!.target,
      tables: [m.task.source],
      parallelism: 1,
      params: m.params,
      workDir: m.workDir,
      signal: controller.signal,
      urls: { source: setup.source.url, target: setup.target.url },
      toolApplicationName: setup.applicationName,
      // The trial's snapshot: this thread's own source sessions import it like the main thread's.
      ...(m.snapshot ? { snapshot: m.snapshot } : {}),
      task: m.task,
      progress: (rows, bytes) => send({ type: 'progress', id: m.id, rows, bytes }),
    });
    send({ type: 'done', id: m.id, stats });
  } catch (err) {
    send({ type: 'failed', id: m.id, error: describeError(err), aborted: controller.signal.aborted || isAbortError(err) });
  } finally {
    running.delete(m.id);
  }
}

async function close(): Promise<void> {
  for (const c of running.values()) c.abort(new Error('closing'));
  await Promise.allSettled([dbs?.source.close(), dbs?.target.close()]);
  send({ type: 'closed' });
  port.close();
}
