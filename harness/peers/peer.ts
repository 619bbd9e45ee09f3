import type { CopyContext } from '../../strategies/strategy.js';
import type { Table } from '../model/catalog.js';
import type { PeerName } from '../model/contender.js';
import type { TargetSetup } from '../model/target-schema.js';

/**
 * How the target must look before the timed region: 'tables' (bench creates the schema the peer loads
 * into; bench's own post-load steps follow, timed), or 'empty' (the peer creates schema, data and
 * indexes itself: pg_restore, pgcopydb).
 */
export type { TargetSetup } from '../model/target-schema.js';

/** A peer sees what a strategy sees of its trial (CopyContext, strategies/strategy.ts); it runs the whole copy itself. */
export interface Peer {
  readonly name: PeerName;
  readonly description: string;
  readonly target: TargetSetup;
  /**
   * True when the tool copies these tables safely, or why not: the peer is then skipped with the reason
   * before it runs. A tool that cannot quote a name must never see it (issue 16: pgcopydb 0.10 sent a
   * hostile table name unescaped into DROP TABLE on the target).
   */
  handles(tables: readonly Table[]): true | string;
  /** True, or why the peer cannot run here (tool not installed, servers not on one host…). */
  available(ctx: CopyContext): Promise<true | string>;
  /** Untimed preparation (the physical limit exports its files here). */
  prepare?(ctx: CopyContext): Promise<void>;
  /** The timed region. A string is a note for the report (a fallback the tool forced). */
  run(ctx: CopyContext): Promise<string | void>;
  /** Untimed; runs even when the peer failed. */
  cleanup?(ctx: CopyContext): Promise<void>;
  /** Once, when the command ends: what the peer kept across its trials. */
  dispose?(): Promise<void>;
}
