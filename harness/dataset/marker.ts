import type pg from 'pg';

/**
 * The seed marker: one row per seeded schema in `_bench.dataset`, written only after a seed has
 * completed and removed before a re-seed starts, so a marker always describes finished content.
 * `bench run` can compare it with the requested scale and seed and skip seeding. bench excludes schemas
 * matching ^_bench from introspection, so the marker is never copied or validated.
 */
export const DATASET_NAME = 'stackoverflow';

export interface SeedMarker {
  scale: number;
  seed: number;
  version: number;
}

/** A pool, a client, or a seed session: anything that runs a parameterised statement. */
export interface Queryable {
  query(sql: string, values?: unknown[]): Promise<pg.QueryResult>;
}

export const CREATE_MARKER_SQL = `CREATE SCHEMA IF NOT EXISTS _bench;
CREATE TABLE IF NOT EXISTS _bench.dataset (
  name text NOT NULL,
  schema text NOT NULL,
  scale double precision NOT NULL,
  seed bigint NOT NULL,
  version int NOT NULL,
  seeded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, schema)
)`;

export async function clearSeedMarker(client: Queryable, schema: string): Promise<void> {
  await client.query('DELETE FROM _bench.dataset WHERE name = $1 AND schema = $2', [DATASET_NAME, schema]);
}

export async function writeSeedMarker(client: Queryable, schema: string, marker: SeedMarker): Promise<void> {
  await client.query(
    `INSERT INTO _bench.dataset (name, schema, scale, seed, version, seeded_at) VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (name, schema) DO UPDATE SET scale = EXCLUDED.scale, seed = EXCLUDED.seed, version = EXCLUDED.version, seeded_at = EXCLUDED.seeded_at`,
    [DATASET_NAME, schema, marker.scale, marker.seed, marker.version],
  );
}

/**
 * The marker of the last completed seed into `schema`, or undefined when there is none (never seeded,
 * a seed in progress or interrupted, or the tables dropped since). Values are read as text and
 * converted here: the CLI's pools keep the server's text for every type.
 */
export async function readSeedMarker(client: pg.Pool | pg.ClientBase | Queryable, schema = 'public'): Promise<SeedMarker | undefined> {
  const exists = await (client as Queryable).query(`SELECT to_regclass('_bench.dataset') IS NOT NULL AS ok`);
  if (!isTrue(exists.rows[0]?.ok)) return undefined;
  const { rows } = await (client as Queryable).query(
    `SELECT scale::text AS scale, seed::text AS seed, version::text AS version FROM _bench.dataset
     WHERE name = $1 AND schema = $2 AND to_regclass(format('%I.%I', $2::text, 'Posts')) IS NOT NULL`,
    [DATASET_NAME, schema],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { scale: Number(row.scale), seed: Number(row.seed), version: Number(row.version) };
}

/** A boolean as the default parser gives it (true) or as raw text ('t'). */
function isTrue(value: unknown): boolean {
  return value === true || value === 't';
}
