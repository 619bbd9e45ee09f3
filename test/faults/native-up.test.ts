import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningPid } from '../../harness/providers/native-cluster.js';
import { bench, errorLines, scratch } from './support.js';

/**
 * Defect 6 of issue 16: `bench up --source-port <busy port>` stopped the working source cluster, then
 * reported the port as busy. The port is now checked before anything is stopped.
 */
describe('bench up with a busy --source-port', () => {
  const work = scratch('up');
  const state = join(work.dir, 'state');
  let busy: Server;
  let port = 0;

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen({ port: 0, host: '127.0.0.1' }, resolve));
    port = (busy.address() as { port: number }).port;
  });

  afterAll(async () => {
    await bench(['down', '--state-dir', state], { stateDir: state });
    busy.close();
    work.remove();
  });

  it('refuses in one line and leaves the running source cluster running', async () => {
    const up = await bench(['up', '--state-dir', state], { stateDir: state });
    expect(up.exitCode, up.stderr).toBe(0);
    const source = join(state, 'native', 'source');
    const pid = runningPid(source);
    expect(pid).toBeDefined();

    const r = await bench(['up', '--state-dir', state, '--source-port', String(port)], { stateDir: state });
    expect(r.exitCode).toBe(1);
    expect(errorLines(r.stderr)).toEqual([`error: port ${port} on 127.0.0.1 is in use (pass a free --source-port, or run \`bench down\`)`]);
    expect(runningPid(source)).toBe(pid);
  });
});
