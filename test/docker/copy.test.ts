import { afterAll, describe, expect, it } from 'vitest';
import { containerName, DockerProvider } from '../../harness/providers/docker.js';
import { containerStats, usageBetween } from '../../harness/providers/docker-stats.js';
import type { ServerHandle } from '../../harness/providers/provider.js';
import { connectPair, trial } from '../support/trial.js';
import { again, cleanupAll, docker, dockerUnavailable, newContext, query, spec } from './support.js';

const unavailable = await dockerUnavailable();
const ROWS = Number(process.env.BENCH_DOCKER_COPY_ROWS ?? 300_000);

afterAll(cleanupAll);

/** The same copy through containers limited to 1 CPU each, then without limits; prints rows/s for both. */
describe.skipIf(unavailable)('a copy through docker containers', () => {
  it('native-bulk copies and validates with cpus=1 and unlimited', async () => {
    const provider = new DockerProvider();
    const ctx = newContext();
    const rates: Record<string, string> = {};
    const targetContainer = docker.getContainer(containerName(ctx.stateDir, 'target'));
    for (const [label, resources] of [
      ['cpus=1', { cpus: 1, memoryBytes: 1024 * 2 ** 20 }],
      ['unlimited', undefined],
    ] as const) {
      const handles: ServerHandle[] = await provider.up(
        [spec('source', resources ? { resources } : {}), spec('target', resources ? { resources } : {})],
        again(ctx),
      );
      const [source, target] = handles as [ServerHandle, ServerHandle];
      if (label === 'cpus=1') {
        await query(
          source.url,
          `CREATE TABLE posts AS
             SELECT g::bigint AS id, (g % 1000)::int AS score, md5(g::text) AS title,
                    now() - (g || ' seconds')::interval AS created
             FROM generate_series(1, ${ROWS}) g;
           ALTER TABLE posts ADD PRIMARY KEY (id);
           ANALYZE posts;`,
        );
      }
      const pair = await connectPair(source.url, target.url);
      try {
        const before = await containerStats(targetContainer);
        const r = await trial(pair, { strategy: 'native-bulk', parallelism: 2 });
        const used = usageBetween(before, await containerStats(targetContainer));
        expect(used.cpuCores).toBeGreaterThan(0);
        if (resources) expect(used.cpuCores).toBeLessThan(1.2); // the limit holds, with sampling slack
        expect(r.state, r.state === 'failed' ? r.error : '').toBe('ok');
        if (r.state !== 'ok') return;
        expect(r.metrics.rows).toBe(ROWS);
        expect(r.validation.every((v) => v.match)).toBe(true);
        rates[label] =
          `${Math.round(r.metrics.copyRowsPerSecond).toLocaleString('en-US')} rows/s ` +
          `(target container: ${used.cpuCores.toFixed(2)} CPUs busy` +
          `${used.blkioWriteBytes !== undefined ? `, ${(used.blkioWriteBytes / 1e6).toFixed(0)} MB written` : ''})`;
      } finally {
        await pair.close();
      }
    }
    console.log(
      `docker copy, ${ROWS.toLocaleString('en-US')} rows, native-bulk p2: ` +
        Object.entries(rates)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
    );
  });
});
