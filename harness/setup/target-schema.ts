import { BenchError, ExitCode } from '../base/errors.js';
import { log } from '../base/log.js';
import { qualified } from '../model/catalog.js';
import type { ConstraintStep } from '../model/database.js';
import type { SchemaStep, TargetSchema } from '../model/target-schema.js';
import { sourceSchemaPlan, type SourceSchemaInput } from './source-schema.js';

/**
 * How the target's schema is built for this command, decided once: PostgreSQL → PostgreSQL, the
 * source's own schema through pg_dump (source-schema.ts); across engines, bench's own DDL, where mapping
 * types is the point (a column or constraint the map cannot carry stops the command before anything is
 * copied). Without a pg_dump as new as the source, PostgreSQL → PostgreSQL falls back to bench's DDL
 * and says what that leaves out.
 */
export async function planTargetSchema(input: SourceSchemaInput): Promise<TargetSchema> {
  const { source, target } = input;
  if (source.engine === 'postgres' && target.engine === 'postgres' && target.execute && input.urls.source !== '') {
    const plan = await sourceSchemaPlan(input);
    if (typeof plan !== 'string') return plan;
    log.warn(
      `bench creates the target's tables from its own DDL, not the source's schema, because ${plan}: ` +
        'tables, keys, checks, indexes and foreign keys only (no enums, domains, extensions, sequences, views or triggers)',
    );
  }
  return generatedSchema(input);
}

/**
 * bench's own DDL (engines/*-ddl.ts): tables with columns only, then keys, checks and indexes table by
 * table, then foreign keys once every key exists.
 */
function generatedSchema(input: SourceSchemaInput): TargetSchema {
  const { source, target, tables } = input;
  const problems = target.unmappable?.(tables, source.engine) ?? [];
  if (problems.length > 0) {
    throw new BenchError(
      `bench cannot create ${problems.length === 1 ? 'this' : `these ${problems.length}`} on the ${target.engine} target (leave the table${problems.length === 1 ? '' : 's'} out with --tables):\n  - ${problems.join('\n  - ')}`,
      { exitCode: ExitCode.usage },
    );
  }
  const constraintSteps = target.constraintSteps(tables);
  const idOf = (s: ConstraintStep) => `${s.kind} ${qualified(s.table)} ${s.name}`;
  const keys = constraintSteps.filter((s) => s.kind !== 'foreign-key').map(idOf);
  const byId = new Map(constraintSteps.map((s) => [idOf(s), s]));
  const steps: SchemaStep[] = constraintSteps.map((s) => ({
    id: idOf(s),
    label: `${s.kind} ${qualified(s.table)} ${s.name}`,
    table: s.table,
    after: s.kind === 'foreign-key' ? keys : [],
    afterLoad: false,
  }));
  return {
    description: source.engine === target.engine ? "bench's own DDL (tables, keys, checks, indexes, foreign keys)" : `bench's own DDL, ${source.engine} types mapped to ${target.engine}`,
    steps,
    async clear() {
      await target.dropTables(tables.map((t) => ({ schema: t.schema, name: t.name })));
    },
    async create(setup) {
      if (setup === 'tables') await target.createTables(tables, source.engine);
    },
    async apply(step) {
      await target.applyConstraint(byId.get(step.id)!, source.engine);
    },
  };
}
