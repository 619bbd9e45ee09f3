import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copiedColumns, qualified, type Table } from '../model/catalog.js';
import { quoteIdent, quoteLiteral, tableSql } from '../engines/postgres-sql.js';
import { forEachLimited } from '../base/concurrency.js';
import type { Peer, PeerContext } from './peer.js';
import { withPgClient } from './pg-client.js';

/**
 * The files live in a directory of their own under the system temp dir: the servers' OS user must reach
 * them, which bench's state directory (e.g. under a home directory) does not guarantee.
 */
const dirs = new Map<string, string>();
const dirOf = (ctx: PeerContext) => {
  if (!dirs.has(ctx.workDir)) dirs.set(ctx.workDir, mkdtempSync(join(tmpdir(), 'bench-limit-')));
  return dirs.get(ctx.workDir)!;
};
const fileOf = (ctx: PeerContext, t: Table) => join(dirOf(ctx), `${qualified(t).replace(/[^a-z0-9._-]+/gi, '_')}.bin`);
const columnsOf = (t: Table) => copiedColumns(t).map((c) => quoteIdent(c.name)).join(', ');

/**
 * The physical limit of the target: its own server-side `COPY … FROM` a binary file already on its host,
 * then the same keys, indexes and foreign keys. No client, no network, no decoding: nothing a copy tool
 * can do is faster. The source server exports the files beforehand (untimed), so this only works when
 * both servers see bench's filesystem (the native provider, or servers on this host) as superusers.
 */
export const serverCopy: Peer = {
  name: 'server-copy',
  description: "target's own server-side COPY FROM a local binary file, then the same keys and indexes (the physical limit)",
  target: 'tables',

  // bench writes the SQL itself, every identifier quoted, and names the files from a sanitised name.
  handles: () => true,

  async available(ctx) {
    for (const url of [ctx.sourceUrl, ctx.targetUrl]) {
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) return 'the servers are not on this host';
      const allowed = await withPgClient(url, async (c) => {
        const r = await c.query<{ ok: boolean }>(
          "SELECT rolsuper OR pg_has_role(current_user, 'pg_write_server_files', 'MEMBER') AND pg_has_role(current_user, 'pg_read_server_files', 'MEMBER') AS ok FROM pg_roles WHERE rolname = current_user",
        );
        return r.rows[0]?.ok === true;
      });
      if (!allowed) return 'server-side COPY needs a superuser (or pg_read/write_server_files) on both servers';
    }
    return true;
  },

  async prepare(ctx) {
    // The servers run as their own OS user (postgres): they write and read here.
    chmodSync(dirOf(ctx), 0o777);
    await forEachLimited(ctx.tables, 2, (t) =>
      withPgClient(ctx.sourceUrl, async (c) => {
        await c.query(`COPY ${tableSql(t)} (${columnsOf(t)}) TO ${quoteLiteral(fileOf(ctx, t))} (FORMAT binary)`);
        if (!existsSync(fileOf(ctx, t))) throw new Error(`the source server wrote ${fileOf(ctx, t)} where bench cannot see it (a container or another host)`);
      }),
    );
  },

  async run(ctx) {
    await forEachLimited(ctx.tables, ctx.parallelism, async (t) => {
      await withPgClient(ctx.targetUrl, (c) => c.query(`COPY ${tableSql(t)} (${columnsOf(t)}) FROM ${quoteLiteral(fileOf(ctx, t))} (FORMAT binary)`));
    });
  },

  async cleanup(ctx) {
    const dir = dirs.get(ctx.workDir);
    dirs.delete(ctx.workDir);
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
};
