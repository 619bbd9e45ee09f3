import { connect } from './databases.js';

/**
 * Two tables a concurrent writer changes in every transaction, so a copy can be checked for one
 * snapshot without bench: writer transaction k inserts row FIRST_WRITTEN + k into both tables and adds
 * 1 to `v` of one row of each. A copy read in one snapshot holds the same number K of written rows in
 * both tables, exactly rows FIRST_WRITTEN + 1 … FIRST_WRITTEN + K, and sum(v) = K in each.
 */
export const LEDGERS = ['public.ledger_a', 'public.ledger_b'] as const;
export const FIRST_WRITTEN = 1_000_000;

export async function createLedgers(url: string, rows: number): Promise<void> {
  const c = await connect(url);
  try {
    for (const t of LEDGERS) {
      await c.query(`CREATE TABLE ${t} (id integer PRIMARY KEY, v integer NOT NULL, note text);
        INSERT INTO ${t} SELECT g, 0, repeat(md5(g::text), 3) FROM generate_series(1, ${rows}) g; ANALYZE ${t};`);
    }
  } finally {
    await c.end();
  }
}

export interface Writer {
  /** Transactions committed so far. */
  committed(): number;
  /** Stops after the transaction under way; resolves with the number committed. */
  stop(): Promise<number>;
}

/** Writes to both ledgers, one transaction after the other, until stopped; it goes on where an earlier writer stopped. */
export async function startWriter(url: string, rows: number): Promise<Writer> {
  const c = await connect(url);
  const done = await c.query<{ k: number }>(`SELECT coalesce(max(id) - ${FIRST_WRITTEN}, 0)::int AS k FROM ${LEDGERS[0]} WHERE id > ${FIRST_WRITTEN}`);
  let committed = done.rows[0]!.k;
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const k = committed + 1;
      const target = 1 + (k % rows);
      await c.query(`BEGIN;
        INSERT INTO ${LEDGERS[0]} VALUES (${FIRST_WRITTEN + k}, 0, 'written');
        INSERT INTO ${LEDGERS[1]} VALUES (${FIRST_WRITTEN + k}, 0, 'written');
        UPDATE ${LEDGERS[0]} SET v = v + 1 WHERE id = ${target};
        UPDATE ${LEDGERS[1]} SET v = v + 1 WHERE id = ${target};
        COMMIT;`);
      committed = k;
    }
  })();
  // A failed write is reported by stop(), not as an unhandled rejection.
  loop.catch(() => undefined);
  return {
    committed: () => committed,
    async stop() {
      stopping = true;
      try {
        await loop;
      } finally {
        await c.end();
      }
      return committed;
    },
  };
}

/**
 * What a copy of the ledgers holds: K written rows in each, and whether it is one snapshot's (the same
 * K in both tables, rows 1…K exactly, sum(v) = K in each).
 */
export async function ledgerState(url: string): Promise<{ written: number[]; consistent: boolean }> {
  const c = await connect(url);
  try {
    const states = [];
    for (const t of LEDGERS) {
      const r = await c.query<{ k: number; lo: number | null; hi: number | null; v: string }>(
        `SELECT count(*) FILTER (WHERE id > ${FIRST_WRITTEN})::int AS k, min(id) FILTER (WHERE id > ${FIRST_WRITTEN}) AS lo,
                max(id) FILTER (WHERE id > ${FIRST_WRITTEN}) AS hi, sum(v)::text AS v FROM ${t}`,
      );
      states.push(r.rows[0]!);
    }
    const written = states.map((s) => s.k);
    const k = written[0]!;
    const consistent = states.every((s) => s.k === k && Number(s.v) === k && (k === 0 || (s.lo === FIRST_WRITTEN + 1 && s.hi === FIRST_WRITTEN + k)));
    return { written, consistent };
  } finally {
    await c.end();
  }
}
