import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerProvider, LABEL } from '../../harness/providers/docker.js';
import { findFreePort } from '../../harness/providers/ports.js';
import { again, cleanupAll, docker, dockerUnavailable, ensureEntrypointImage, labelled, newContext, query, spec, TEST_IMAGE } from './support.js';

const unavailable = await dockerUnavailable();

afterAll(cleanupAll);

describe.skipIf(unavailable)('docker provider (real engine)', () => {
  const provider = new DockerProvider();

  it('starts both roles with CPU and memory limits that the engine reports back, and both answer', async () => {
    const ctx = newContext();
    const limits = { cpus: 1, memoryBytes: 512 * 2 ** 20 };
    const handles = await provider.up([spec('source', { resources: limits }), spec('target', { resources: limits })], ctx);
    await ctx.lifecycle.dispose(false);
    expect(handles.map((h) => h.startedNow)).toEqual([true, true]);
    expect(handles[0]!.url).toMatch(/^postgres:\/\/bench:[^@]+@127\.0\.0\.1:\d+\/bench$/);
    expect(handles[0]!.url).not.toBe(handles[1]!.url);

    const { containers } = await labelled(ctx.stateDir);
    expect(containers.map((c) => c.Labels[LABEL.role]).sort()).toEqual(['source', 'target']);
    for (const c of containers) {
      const info = await docker.getContainer(c.Id).inspect();
      expect(info.HostConfig.NanoCpus).toBe(1e9);
      expect(info.HostConfig.Memory).toBe(512 * 2 ** 20);
      expect(info.HostConfig.MemorySwap).toBe(512 * 2 ** 20);
      expect(info.Config.Labels[LABEL.stateDir]).toBe(ctx.stateDir);
      if (info.HostConfig.NetworkMode === 'bridge') {
        // Published on loopback only.
        const bindings = Object.values(info.HostConfig.PortBindings ?? {}).flat() as { HostIp: string }[];
        expect(bindings.every((b) => b.HostIp === '127.0.0.1')).toBe(true);
      }
    }
    for (const h of handles) {
      const [row] = await query<{ one: number; sb: string; sc: string; la: string; db: string }>(
        h.url,
        `SELECT 1 AS one, current_setting('shared_buffers') AS sb, current_setting('synchronous_commit') AS sc,
                current_setting('listen_addresses') AS la, current_database() AS db`,
      );
      expect(row).toMatchObject({ one: 1, sb: '64MB', sc: 'off', db: 'bench' });
      expect(['127.0.0.1', '*']).toContain(row!.la);
    }
  });

  it('reuses a running container with the same spec, and replaces it (keeping the data) when settings or limits change', async () => {
    const ctx = newContext();
    const [first] = await provider.up([spec('source')], ctx);
    const before = (await labelled(ctx.stateDir)).containers[0]!;
    await query(first!.url, 'CREATE TABLE kept AS SELECT generate_series(1, 1000) AS n');

    const [second] = await provider.up([spec('source')], again(ctx));
    expect(second!.startedNow).toBe(false);
    expect(second!.url).toBe(first!.url);
    expect((await labelled(ctx.stateDir)).containers[0]!.Id).toBe(before.Id);

    const [third] = await provider.up([spec('source', { settings: { ...spec('source').settings, work_mem: '16MB' } })], again(ctx));
    expect(third!.startedNow).toBe(true);
    const after = await labelled(ctx.stateDir);
    expect(after.containers).toHaveLength(1);
    expect(after.containers[0]!.Id).not.toBe(before.Id);
    expect(after.volumes).toHaveLength(1);
    const [row] = await query<{ wm: string; n: string }>(third!.url, `SELECT current_setting('work_mem') AS wm, count(*) AS n FROM kept`);
    expect(row).toEqual({ wm: '16MB', n: '1000' });

    const [fourth] = await provider.up([spec('source', { settings: { ...spec('source').settings, work_mem: '16MB' }, resources: { cpus: 0.5 } })], again(ctx));
    expect(fourth!.startedNow).toBe(true);
    const info = await docker.getContainer((await labelled(ctx.stateDir)).containers[0]!.Id).inspect();
    expect(info.HostConfig.NanoCpus).toBe(5e8);
  });

  it('an image with its own entrypoint gets settings as arguments and POSTGRES_* variables (entrypoint launch mode)', async () => {
    const image = await ensureEntrypointImage();
    const ctx = newContext();
    const [h] = await provider.up([spec('source', { image, settings: { work_mem: '12MB', fsync: 'off' } })], ctx);
    expect(h!.details.launchMode).toBe('entrypoint');
    const [row] = await query<{ wm: string; db: string; usr: string }>(h!.url, `SELECT current_setting('work_mem') AS wm, current_database() AS db, current_user AS usr`);
    expect(row).toEqual({ wm: '12MB', db: 'bench', usr: 'bench' });
    const info = await docker.getContainer((await labelled(ctx.stateDir)).containers[0]!.Id).inspect();
    expect(info.Config.Cmd![0]).toBe('postgres');
    expect(info.Config.Env).toContain('POSTGRES_DB=bench');
  });

  it('down removes exactly its own containers and volumes; foreign ones survive', async () => {
    const ctx = newContext();
    const other = newContext();
    await provider.up([spec('source')], ctx);
    await provider.up([spec('source')], other);
    // A container bench did not make (no labels), from the same image.
    const foreign = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ['sleep', '300'], name: `foreign-${Date.now()}` });
    try {
      const lines = await provider.down(again(ctx));
      expect(lines.some((l) => /removed the source container/.test(l))).toBe(true);
      expect(lines.some((l) => /removed the source data volume/.test(l))).toBe(true);
      expect(await labelled(ctx.stateDir)).toEqual({ containers: [], volumes: [] });
      // Another state directory's containers and the unlabelled one are untouched.
      expect((await labelled(other.stateDir)).containers).toHaveLength(1);
      expect((await foreign.inspect()).Id).toBeTruthy();
      expect(await provider.down(again(ctx))).toEqual([]);
      const statuses = await provider.status(again(other));
      expect(statuses.find((s) => s.role === 'source')!.state).toBe('running');
      expect(statuses.find((s) => s.role === 'target')!.state).toBe('absent');
    } finally {
      await foreign.remove({ force: true });
    }
  });

  it('says a requested port is in use in one line', async () => {
    const port = await findFreePort(56100);
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    const ctx = newContext();
    try {
      await expect(provider.up([spec('source', { port })], ctx)).rejects.toThrow(
        `port ${port} on 127.0.0.1 is in use (pass a free --source-port, or run \`bench down\`)`,
      );
    } finally {
      server.close();
      await ctx.lifecycle.dispose(true);
    }
    expect(await labelled(ctx.stateDir)).toEqual({ containers: [], volumes: [] });
  });

  it('says a missing image cannot be pulled, and how to get one', async () => {
    const ctx = newContext();
    // A registry on loopback that is not there: the engine fails at once and sends nothing off the machine.
    const image = '127.0.0.1:1/bench-missing:none';
    await expect(provider.up([spec('source', { image })], ctx)).rejects.toThrow(
      /^image 127\.0\.0\.1:1\/bench-missing:none not found locally and cannot be pulled: .+; build it with test\/docker\/build-postgres-image\.sh or pass --image$/,
    );
    await expect(new DockerProvider({ pull: 'never' }).up([spec('source', { image })], ctx)).rejects.toThrow(/not found locally and pulling is off/);
    await ctx.lifecycle.dispose(true);
  });

  it('a server that cannot start fails with its last log lines, and the failed up leaves nothing behind', async () => {
    const ctx = newContext();
    const bad = spec('source', { settings: { shared_buffers: 'plenty' } });
    const err = await provider.up([bad], ctx).then(
      () => new Error('up succeeded'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toMatch(/^the source container bench-\w+-source exited with code \d+ before postgres was ready; its last log lines:/);
    expect(err.message).toMatch(/shared_buffers/);
    await ctx.lifecycle.dispose(true);
    expect(await labelled(ctx.stateDir)).toEqual({ containers: [], volumes: [] });
  });

  it('Ctrl-C while a container starts removes it and its volume', async () => {
    const ctx = newContext();
    const watcher = (async () => {
      // Interrupt as soon as the container exists: up is then starting it or waiting for it.
      for (let i = 0; i < 200 && (await labelled(ctx.stateDir)).containers.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      ctx.lifecycle.abort('SIGINT');
    })();
    await expect(provider.up([spec('source')], ctx)).rejects.toThrow(/interrupted by SIGINT/);
    await watcher;
    await ctx.lifecycle.dispose(true);
    expect(await labelled(ctx.stateDir)).toEqual({ containers: [], volumes: [] });
  });

  it('reports an unreachable engine with the fix', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      const ok = await new DockerProvider().available();
      expect(ok).toMatch(/^Docker engine not reachable at unix:\/\/\/nonexistent\/docker\.sock \(.+\): start it \(test\/docker\/start-engine\.sh\) or use --provider native$/);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });
});
