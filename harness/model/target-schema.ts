import type { QualifiedName } from './catalog.js';

/** How the target must look before the timed region. */
export type TargetSetup =
  /** bench creates the tables (and whatever they need: types, functions…); the contender loads them. */
  | 'tables'
  /** bench clears the target; the contender creates schema, data and indexes itself (pg_restore, pgcopydb). */
  | 'empty';

/**
 * One step that builds the target's schema around the load: a key, an index, a foreign key, a trigger, a
 * materialized view's refresh… Steps of one table run one at a time (most take a lock on it that
 * conflicts with the others), steps of different tables in parallel, each once every step it waits for
 * (`after`) has finished.
 */
export interface SchemaStep {
  /** Unique within the plan. */
  readonly id: string;
  /** What it builds, for messages: "INDEX public.idx_title". */
  readonly label: string;
  /** The table it works on; absent for steps that belong to no table (sequence values). */
  readonly table?: QualifiedName;
  /** Ids of the steps that must finish first. */
  readonly after: readonly string[];
  /**
   * The step must come after the load: it would act on the rows being loaded (a trigger, a rule, row
   * security, a NOT VALID constraint the source's rows may break) or it reads them (a materialized view's
   * refresh, sequence values). With `--constraints before` the other steps run before the load.
   */
  readonly afterLoad: boolean;
}

/**
 * How the target's schema is built, planned once per command (setup/target-schema.ts): from a
 * PostgreSQL source, the source's own schema (pg_dump's pre-data before the load, its post-data steps
 * after it); across engines, bench's own DDL through the type map. The trial's phases only call it.
 */
export interface TargetSchema {
  /** One line for the log: where the schema comes from and what it holds. */
  readonly description: string;
  /** Removes whatever an earlier trial (a strategy's or a tool's) left on the target. Not timed. */
  clear(): Promise<void>;
  /**
   * Creates what the contender loads into ('tables'), or only what a tool that creates the rest expects
   * to find ('empty'). Timed: it is the schema phase of a copy into an empty database.
   */
  create(setup: TargetSetup): Promise<void>;
  /** The steps around the load, in an order that respects every step's `after`. */
  readonly steps: readonly SchemaStep[];
  /** Runs one step; `snapshot` is the trial's source snapshot (sequence values are read in it). */
  apply(step: SchemaStep, options: { readonly snapshot?: string }): Promise<void>;
}
