import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { psqlPipe } from '../../harness/peers/psql-pipe.js';
import { which } from '../../harness/peers/tools.js';
import type { CopyContext } from '../../strategies/strategy.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';
import { connectPair, type Pair } from '../support/trial.js';

/** The processes below this one whose program is `name`, with their fds. */
function descendants(name: string): { pid: number; argv: string[]; fd: (n: number) => string }[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  const out = [];
  for (const pid of parent.keys()) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv[0]?.split('/').pop() === name && below(pid)) out.push({ pid, argv, fd: (n: number) => readlinkSync(`/proc/${pid}/fd/${n}`) });
    } catch {
      // gone
    }
  }
  return out;
}

async function until<T>(probe: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The psql-pipe peer is what a user types: `psql | psql`, joined by an OS pipe. If the bytes went
 * through bench (execa's .pipe() relays them on bench's event loop) the peer would be charged for
 * bench's work and the "bench beats the psql pipe" ratio would flatter bench.
 */
describe('psql-pipe is a real shell pipe', () => {
  let dbs: TestDatabases;
  let pair: Pair;
  const present = which('psql');

  beforeAll(async () => {
    dbs = await freshDatabases('psqlpipe');
    const c = await connect(dbs.source);
    await c.query(`CREATE TABLE big (id bigint, payload text);
      INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 1500000) g;`);
    await c.end();
    const t = await connect(dbs.target);
    await t.query('CREATE TABLE big (id bigint, payload text)');
    await t.end();
    pair = await connectPair(dbs.source, dbs.target);
  }, 120_000);

  afterAll(async () => {
    await pair?.close();
    await dbs?.drop();
  });

  const contextWith = async (signal: AbortSignal): Promise<CopyContext> =>
    ({ tables: (await pair.source.introspect()).tables, parallelism: 1, urls: { source: dbs.source, target: dbs.target }, signal }) as unknown as CopyContext;

  it('joins the two psql by one OS pipe that bench holds no end of, with no password in any argv; cancelling stops both', async () => {
    if (!(await present)) return console.warn('psql is not installed: test skipped');
    const abort = new AbortController();
    const run = psqlPipe.run(await contextWith(abort.signal));
    run.catch(() => {});
    const both = await until(() => {
      const p = descendants('psql');
      return p.length === 2 ? p : undefined;
    });
    const [a, b] = both as [(typeof both)[0], (typeof both)[0]];
    const [reader, writer] = a.fd(1).startsWith('pipe:') && a.fd(1) === b.fd(0) ? [a, b] : [b, a];
    expect(reader.fd(1)).toMatch(/^pipe:\[\d+\]$/);
    expect(writer.fd(0)).toBe(reader.fd(1));
    const mine = readdirSync('/proc/self/fd').map((n) => {
      try {
        return readlinkSync(`/proc/self/fd/${n}`);
      } catch {
        return '';
      }
    });
    expect(mine).not.toContain(reader.fd(1));
    const password = decodeURIComponent(new URL(dbs.source).password);
    if (password) for (const p of both) expect(p.argv.join(' ')).not.toContain(password);

    abort.abort(new Error('test cancels'));
    await expect(run).rejects.toThrow('test cancels');
    await until(() => (descendants('psql').length === 0 && descendants('bash').length === 0 ? true : undefined), 5_000);
  }, 60_000);

  it('copies every row when left alone', async () => {
    if (!(await present)) return;
    const t = await connect(dbs.target);
    await t.query('TRUNCATE big');
    await psqlPipe.run(await contextWith(new AbortController().signal));
    expect((await t.query('SELECT count(*)::int AS n FROM big')).rows[0].n).toBe(1_500_000);
    await t.end();
  }, 60_000);
});
