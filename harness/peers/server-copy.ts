import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copiedColumns, copyFormatFor, largestFirst, qualified, type Table } from '../model/catalog.js';
import { quoteIdent, quoteLiteral, tableSql } from '../engines/postgres-sql.js';
import { forEachLimited } from '../base/concurrency.js';
import { log } from '../base/log.js';
import { scratchPaths } from '../base/paths.js';
import { removeLeftovers } from '../base/private-files.js';
import type { CopyContext } from '../../strategies/strategy.js';
import type { Peer } from './peer.js';
import { withPgClient } from './pg-client.js';

/**
 * The files hold whole tables, so they live in a directory of their own under the system temp dir
 * (the servers' OS user must reach it, which bench's state directory, e.g. under a home directory, does
 * not guarantee), mode 0700 and owned by that user, files 0600 (issue 16: they were 0644 in a 0777
 * directory). The directory is named after bench's pid, so a bench killed before its cleanup has its
 * directory removed by the next one. The tables are exported in the trial's snapshot, once per snapshot
 * version: a source nobody writes to is exported once per command, a source written to between trials
 * again for the trial that sees the new rows. The files are removed when the command ends (dispose).
 */
let exported: { dir: string; version: string | undefined; done: Promise<void> } | undefined;
const fileOf = (dir: string, t: Table) => join(dir, `${qualified(t).replace(/[^a-z0-9._-]+/gi, '_')}.bin`);
const columnsOf = (t: Table) => copiedColumns(t).map((c) => quoteIdent(c.name)).join(', ');
/** Binary, unless the table's binary form carries the source's type OIDs (an array of an enum…). */
const formatOf = (t: Table) => copyFormatFor(copiedColumns(t), 'binary');

/** The OS account both servers run as (the owner of their data directories), or why it cannot be used. */
async function serverOwner(ctx: CopyContext): Promise<{ uid: number; gid: number } | string> {
  const owners: { uid: number; gid: number }[] = [];
  for (const url of [ctx.urls.source, ctx.urls.target]) {
    const dataDir = await withPgClient(url, ctx.toolApplicationName, async (c) => (await c.query<{ d: string }>("SELECT current_setting('data_directory') AS d")).rows[0]!.d);
    try {
      const st = statSync(dataDir);
      owners.push({ uid: st.uid, gid: st.gid });
    } catch {
      return 'bench cannot see the servers\' data directories (a container or another host)';
    }
  }
  const [source, target] = owners as [{ uid: number; gid: number }, { uid: number; gid: number }];
  if (source.uid !== target.uid) return 'the source and target servers run as different OS users, so no private directory suits both';
  const me = process.getuid?.() ?? -1;
  if (me !== 0 && me !== source.uid) {
    return `the export files must be readable by the servers' OS user only: run bench as root or as uid ${source.uid}`;
  }
  return source;
}

/**
 * The physical limit of the target: its own server-side `COPY … FROM` a binary file already on its host,
 * then the same keys, indexes and foreign keys. No client, no network, no decoding: nothing a copy tool
 * can do is faster. The source server exports the files beforehand (untimed), so this only works when
 * both servers see bench's filesystem (the native provider, or servers on this host) as superusers.
 */
export const serverCopy: Peer = {
  name: 'server-copy',
  description: "target's own server-side COPY FREEZE from a local binary file, largest table first, then the same keys and indexes (the physical limit)",
  target: 'tables',

  // bench writes the SQL itself, every identifier quoted, and names the files from a sanitised name.
  handles: () => true,

  async available(ctx) {
    for (const url of [ctx.urls.source, ctx.urls.target]) {
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) return 'the servers are not on this host';
      const allowed = await withPgClient(url, ctx.toolApplicationName, async (c) => {
        const r = await c.query<{ ok: boolean }>(
          "SELECT rolsuper OR pg_has_role(current_user, 'pg_write_server_files', 'MEMBER') AND pg_has_role(current_user, 'pg_read_server_files', 'MEMBER') AS ok FROM pg_roles WHERE rolname = current_user",
        );
        return r.rows[0]?.ok === true;
      });
      if (!allowed) return 'server-side COPY needs a superuser (or pg_read/write_server_files) on both servers';
    }
    const owner = await serverOwner(ctx);
    return typeof owner === 'string' ? owner : true;
  },

  async prepare(ctx) {
    const version = ctx.snapshot?.version;
    if (exported && exported.version !== version) {
      await exported.done.catch(() => undefined);
      rmSync(exported.dir, { recursive: true, force: true });
      exported = undefined;
    }
    if (!exported) {
      const dir = await exportDir(ctx);
      const done = exportTables(ctx, dir);
      exported = { dir, version, done };
      // A failed export is retried by the next trial rather than remembered.
      done.catch(() => {
        if (exported?.done === done) exported = undefined;
        rmSync(dir, { recursive: true, force: true });
      });
    }
    await exported.done;
  },

  async run(ctx) {
    const dir = exported!.dir;
    // Largest first, and each table emptied and loaded with FREEZE in one transaction: the fastest load
    // the target has (no hint-bit or freeze writes after it; no WAL at all under wal_level=minimal). The
    // limit is the best the target can do, whatever options the bench point it is compared with used.
    await forEachLimited(largestFirst(ctx.tables), ctx.parallelism, async (t) => {
      await withPgClient(ctx.urls.target, ctx.toolApplicationName, async (c) => {
        await c.query('BEGIN');
        await c.query(`TRUNCATE ONLY ${tableSql(t)}`);
        await c.query(`COPY ${tableSql(t)} (${columnsOf(t)}) FROM ${quoteLiteral(fileOf(dir, t))} (FORMAT ${formatOf(t)}, FREEZE)`);
        await c.query('COMMIT');
      });
    });
  },

  async dispose() {
    const dir = exported?.dir;
    exported = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
};

/** A new private directory the servers' OS user owns (0700). */
async function exportDir(ctx: CopyContext): Promise<string> {
  for (const dir of removeLeftovers(tmpdir(), scratchPaths.serverCopyPattern)) log.info(`removed ${dir}: the table exports of a bench that did not end cleanly`);
  const owner = await serverOwner(ctx);
  if (typeof owner === 'string') throw new Error(owner);
  const dir = mkdtempSync(scratchPaths.serverCopyPrefix()); // 0700
  // The servers run as their own OS user (postgres as root): they write and read here, nobody else.
  if (owner.uid !== process.getuid?.()) chownSync(dir, owner.uid, owner.gid);
  return dir;
}

async function exportTables(ctx: CopyContext, dir: string): Promise<void> {
  await forEachLimited(ctx.tables, 2, (t) =>
    withPgClient(ctx.urls.source, ctx.toolApplicationName, async (c) => {
      if (ctx.snapshot) await c.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT ${quoteLiteral(ctx.snapshot.id)}`);
      await c.query(`COPY ${tableSql(t)} (${columnsOf(t)}) TO ${quoteLiteral(fileOf(dir, t))} (FORMAT ${formatOf(t)})`);
      if (ctx.snapshot) await c.query('COMMIT');
      if (!existsSync(fileOf(dir, t))) throw new Error(`the source server wrote ${fileOf(dir, t)} where bench cannot see it (a container or another host)`);
    }),
  );
  // The server writes with its umask (0644 for PostgreSQL): the files hold table data.
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o600);
}
