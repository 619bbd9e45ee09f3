import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabases {
  source: string;
  target: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database on the source cluster and one on the target cluster (started by the global
 * setup), named after the test file so leftovers are easy to trace.
 */
export async function freshDatabases(prefix: string, options: { awkwardName?: boolean } = {}): Promise<TestDatabases> {
  const { source, target } = inject('pg');
  // awkwardName: a name that must be quoted in SQL and percent-encoded in a URL.
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(3).toString('hex')}${options.awkwardName ? ' Dé "q"' : ''}`;
  await Promise.all([source, target].map((url) => admin(url, (c) => c.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`))));
  return {
    source: withDatabase(source, name),
    target: withDatabase(target, name),
    async drop() {
      await Promise.all(
        [source, target].map((url) => admin(url, (c) => c.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`))),
      );
    },
  };
}

/** A plain client for arranging and inspecting test data (default type parsing). */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** The `items` table the CLI tests copy: `rows` rows of an int key, a label and a quantity, analysed. */
export async function createItems(url: string, rows: number): Promise<void> {
  const c = await connect(url);
  try {
    await c.query(`CREATE TABLE items (id int PRIMARY KEY, label text, qty int);
      INSERT INTO items SELECT g, 'item ' || g, g % 97 FROM generate_series(1, ${rows}) g; ANALYZE;`);
  } finally {
    await c.end();
  }
}
