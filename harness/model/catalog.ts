import type { EngineName } from './roles.js';

/**
 * The engine-neutral picture of a database's tables that introspection produces and target schema
 * creation, task planning and validation consume. Engine-specific text (native type names, index and
 * constraint definitions) is carried along for same-engine copies; `portable` types drive cross-engine
 * type mapping.
 */
export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

export type PortableType =
  | { readonly kind: 'int16' | 'int32' | 'int64' | 'bool' | 'float32' | 'float64' | 'date' | 'uuid' | 'json' | 'xml' | 'binary' | 'money' }
  | { readonly kind: 'decimal'; readonly precision?: number; readonly scale?: number }
  | { readonly kind: 'text'; readonly length?: number; readonly fixed?: boolean }
  | { readonly kind: 'time' | 'timestamp' | 'timestamptz'; readonly precision?: number }
  | { readonly kind: 'other'; readonly name: string };

export interface Column {
  readonly name: string;
  /** The type as the source engine spells it, e.g. "character varying(40)" or "nvarchar(max)". */
  readonly nativeType: string;
  readonly portable: PortableType;
  readonly nullable: boolean;
  /** A constant default worth recreating (sequence defaults are not copied). */
  readonly default?: string;
  /** Set for generated (computed) columns: they are not copied, the target computes them. */
  readonly generated?: string;
}

export interface KeyConstraint {
  readonly name: string;
  readonly columns: readonly string[];
  /** Native definition, e.g. "PRIMARY KEY (id)". */
  readonly definition?: string;
}

export interface CheckConstraint {
  readonly name: string;
  readonly definition: string;
}

export interface ForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly references: QualifiedName;
  readonly refColumns: readonly string[];
  readonly definition?: string;
}

export interface Index {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  /** Native CREATE INDEX statement for same-engine targets. */
  readonly definition?: string;
}

export interface Table extends QualifiedName {
  readonly columns: readonly Column[];
  readonly primaryKey?: KeyConstraint;
  readonly uniques: readonly KeyConstraint[];
  readonly checks: readonly CheckConstraint[];
  readonly foreignKeys: readonly ForeignKey[];
  readonly indexes: readonly Index[];
  /** Planner estimate; -1 when the table was never analysed. */
  readonly estimatedRows: number;
  /** Heap (+TOAST) size in bytes, indexes excluded. */
  readonly estimatedBytes: number;
}

export interface Catalog {
  readonly engine: EngineName;
  readonly tables: readonly Table[];
}

export function qualified(t: QualifiedName): string {
  return `${t.schema}.${t.name}`;
}

/** Columns bench copies: generated columns are computed by the target instead. */
export function copiedColumns(t: Table): readonly Column[] {
  return t.columns.filter((c) => c.generated === undefined);
}

/**
 * `--tables` patterns: "posts", "public.posts", "sales.*", "*.orders". Unqualified names match any schema.
 * Matching is case-sensitive on the name as the catalog reports it.
 */
export function matchesTableFilter(t: QualifiedName, patterns: readonly string[] | undefined): boolean {
  if (!patterns || patterns.length === 0) return true;
  return patterns.some((p) => {
    const dot = p.lastIndexOf('.');
    const [schema, name] = dot >= 0 ? [p.slice(0, dot), p.slice(dot + 1)] : ['*', p];
    return (schema === '*' || schema === t.schema) && (name === '*' || name === t.name);
  });
}
