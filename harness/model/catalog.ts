import type { CopyFormat } from './contender.js';
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
  /**
   * An identity column. COPY writes the copied value into it whatever its kind; an INSERT into a
   * GENERATED ALWAYS one needs OVERRIDING SYSTEM VALUE.
   */
  readonly identity?: 'always' | 'by-default';
  /**
   * The column's binary COPY form carries type OIDs of the source database: an array or a composite of
   * user-defined types (array_recv and record_recv check the element and member OIDs, and the target's
   * differ). Such a table travels as COPY text (copyFormatFor).
   */
  readonly binaryCarriesOids?: boolean;
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
  /**
   * For a partition: the partitioned tables above it, nearest first. bench copies partitioned tables
   * through their leaves (each leaf a table of its own, a task of its own); a partitioned table holds no
   * rows and is never in a catalog's tables.
   */
  readonly partitionOf?: readonly QualifiedName[];
}

export interface Catalog {
  readonly engine: EngineName;
  readonly tables: readonly Table[];
}

/**
 * `schema.name`, the key and label of a table everywhere (tasks, validation, results). A part holding a
 * dot, starting with a double quote, or empty is double-quoted with its quotes doubled, so the key is
 * unambiguous (a bare part never holds a dot nor starts with a quote): `public."a.b"` and `"public.a".b`
 * are two tables (issue 16), while `public.Posts` and `Odd "Schema".t` read as before.
 */
export function qualified(t: QualifiedName): string {
  return `${keyPart(t.schema)}.${keyPart(t.name)}`;
}

function keyPart(part: string): string {
  return part === '' || part.includes('.') || part.startsWith('"') ? `"${part.replace(/"/g, '""')}"` : part;
}

/**
 * The parts of a dotted name where a part may be double-quoted (`"public"."a.b"`, `"say ""hi"""`): a
 * quoted part is taken literally, dots and commas included. Undefined when the quotes do not close.
 */
export function splitQuotedName(text: string): { text: string; quoted: boolean }[] | undefined {
  const parts: { text: string; quoted: boolean }[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let part = '';
      i += 1;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        part += text[i];
        i += 1;
      }
      parts.push({ text: part, quoted: true });
    } else {
      const dot = text.indexOf('.', i);
      const end = dot < 0 ? text.length : dot;
      parts.push({ text: text.slice(i, end), quoted: false });
      i = end;
    }
    if (i >= text.length) return parts;
    if (text[i] !== '.') return undefined;
    i += 1;
  }
}

/** Splits a `--tables` list on commas outside double quotes. */
export function splitTableList(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let inQuotes = false;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    if (ch === ',' && !inQuotes) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  return items.map((t) => t.trim()).filter(Boolean);
}

/**
 * The COPY format a table travels in: the one asked for, except binary for a table with a column whose
 * binary form names source type OIDs (Column.binaryCarriesOids), which goes as text.
 */
export function copyFormatFor(columns: readonly Column[], asked: CopyFormat): CopyFormat {
  return asked === 'binary' && columns.some((c) => c.binaryCarriesOids) ? 'text' : asked;
}

/** Columns bench copies: generated columns are computed by the target instead. */
export function copiedColumns(t: Table): readonly Column[] {
  return t.columns.filter((c) => c.generated === undefined);
}

/**
 * `--tables` patterns: "posts", "public.posts", "sales.*", "*.orders". Unqualified names match any schema.
 * Matching is case-sensitive on the name as the catalog reports it. A double-quoted part is a literal
 * name, dots included: `"public"."a.b"`, `public."a.b"`, `"public.a".b` (a quoted "*" is a name, too).
 */
export function matchesTableFilter(t: QualifiedName, patterns: readonly string[] | undefined): boolean {
  if (!patterns || patterns.length === 0) return true;
  return patterns.some((p) => {
    const [schema, name] = patternParts(p);
    const matches = (part: { text: string; quoted: boolean }, value: string) => (!part.quoted && part.text === '*') || part.text === value;
    return matches(schema, t.schema) && matches(name, t.name);
  });
}

type Part = { text: string; quoted: boolean };

function patternParts(p: string): [Part, Part] {
  const any: Part = { text: '*', quoted: false };
  const parts = p.includes('"') ? splitQuotedName(p) : undefined;
  if (parts && parts.length === 1) return [any, parts[0]!];
  if (parts && parts.length === 2) return [parts[0]!, parts[1]!];
  // No quotes (or quotes that do not parse): the last dot separates schema and name, as always.
  const dot = p.lastIndexOf('.');
  return dot >= 0 ? [{ text: p.slice(0, dot), quoted: false }, { text: p.slice(dot + 1), quoted: false }] : [any, { text: p, quoted: false }];
}

/**
 * Tables or copy tasks largest first (by estimated heap + TOAST bytes): the order any parallel loader
 * should start them in, so the longest pole starts first (pg_dump -j and pgcopydb do the same). bench's
 * plan uses it, and so do the peers that bench drives table by table, so they are not slowed by an order
 * bench would never use.
 */
export function largestFirst<T extends { readonly estimatedBytes: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.estimatedBytes - a.estimatedBytes);
}
