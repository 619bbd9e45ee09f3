import { qualified, type Table } from '../model/catalog.js';
import type { ConstraintStep } from '../model/database.js';

/**
 * The order keys and indexes are rebuilt in, the same for every target engine: keys first (foreign keys
 * need the referenced key), then checks and indexes, then foreign keys. The runner runs one table's
 * steps in order and different tables in parallel. Each engine turns a step into its own DDL.
 */
export function constraintSteps(tables: readonly Table[]): ConstraintStep[] {
  const steps: ConstraintStep[] = [];
  for (const table of tables) {
    if (table.primaryKey) steps.push({ kind: 'primary-key', table, name: table.primaryKey.name });
    for (const u of table.uniques) steps.push({ kind: 'unique', table, name: u.name });
    for (const c of table.checks) steps.push({ kind: 'check', table, name: c.name });
    for (const i of table.indexes) steps.push({ kind: 'index', table, name: i.name });
  }
  const inSet = new Set(tables.map((t) => qualified(t)));
  for (const table of tables) {
    for (const fk of table.foreignKeys) {
      // A foreign key to a table outside the copy set cannot be created on the target.
      if (inSet.has(qualified(fk.references))) steps.push({ kind: 'foreign-key', table, name: fk.name });
    }
  }
  return steps;
}

/**
 * What a target cannot build from these tables with bench's own DDL, one line each: every column type
 * and constraint the engine's DDL builders refuse (they throw naming the column or constraint), so a run
 * is refused once, before anything is copied, rather than failing every trial.
 */
export function unmappableBy(tables: readonly Table[], table: (t: Table) => unknown, step: (s: ConstraintStep) => unknown): string[] {
  const problems: string[] = [];
  const attempt = (what: string, fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  for (const t of tables) attempt(qualified(t), () => table(t));
  for (const s of constraintSteps(tables)) attempt(qualified(s.table), () => step(s));
  return problems;
}
