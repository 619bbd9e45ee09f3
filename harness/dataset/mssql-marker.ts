import { connectionConfig, openConnection, query } from '../engines/mssql-pool.js';
import { createSchemaSql, dropTableSql } from '../engines/mssql-ddl.js';
import type { SqlParam } from '../engines/mssql-sql.js';
import { parseMssqlUrl } from '../engines/mssql-url.js';
import { DATASET_NAME, type SeedMarker } from './marker.js';

/**
 * The seed marker in a SQL Server database: `[_bench].[dataset]`, the same row as PostgreSQL's
 * `_bench.dataset` (marker.ts), written only once a seed has been copied and validated, and dropped
 * before a re-seed. SQL Server introspection skips `_bench*` schemas, so it is never copied.
 */
const MARKER = { schema: '_bench', name: 'dataset' };

async function withConnection<T>(url: string, fn: (run: (sql: string, params?: readonly SqlParam[]) => ReturnType<typeof query>) => Promise<T>): Promise<T> {
  const conn = await openConnection(connectionConfig(parseMssqlUrl(url), 'bench-seed'));
  try {
    return await fn((sql, params = []) => query(conn, sql, params));
  } finally {
    conn.close();
  }
}

const text = (name: string, value: string): SqlParam => ({ name, type: 'nvarchar', value });

export async function readMssqlSeedMarker(url: string, schema: string): Promise<SeedMarker | undefined> {
  return withConnection(url, async (run) => {
    // Never seeded: no marker table. Asked with OBJECT_ID rather than read from a failed SELECT's error
    // number (SQL Server's 208), which another SQL Server-compatible server reported differently (issue 17).
    const exists = (await run("SELECT OBJECT_ID(N'[_bench].[dataset]', N'U') AS [id]"))[0]?.[0]?.id;
    if (exists === null || exists === undefined) return undefined;
    const rows = await run('SELECT [scale], [seed], [version] FROM [_bench].[dataset] WHERE [name] = @name AND [schema] = @schema', [
      text('name', DATASET_NAME),
      text('schema', schema),
    ]);
    const row = rows[0]?.[0];
    return row ? { scale: Number(row.scale), seed: Number(row.seed), version: Number(row.version) } : undefined;
  });
}

export async function clearMssqlSeedMarker(url: string): Promise<void> {
  await withConnection(url, (run) => run(dropTableSql(MARKER)));
}

export async function writeMssqlSeedMarker(url: string, schema: string, marker: SeedMarker): Promise<void> {
  await withConnection(url, async (run) => {
    await run(createSchemaSql(MARKER.schema));
    await run(dropTableSql(MARKER));
    await run(
      'CREATE TABLE [_bench].[dataset] ([name] nvarchar(64) NOT NULL, [schema] nvarchar(128) NOT NULL, [scale] float NOT NULL, [seed] bigint NOT NULL, [version] int NOT NULL)',
    );
    // Every value as nvarchar, CAST to its column's type in the statement (no implicit conversion).
    await run(
      'INSERT INTO [_bench].[dataset] ([name], [schema], [scale], [seed], [version]) ' +
        'VALUES (@name, @schema, CAST(@scale AS float), CAST(@seed AS bigint), CAST(@version AS int))',
      [
        text('name', DATASET_NAME),
        text('schema', schema),
        text('scale', String(marker.scale)),
        text('seed', String(marker.seed)),
        text('version', String(marker.version)),
      ],
    );
  });
}

