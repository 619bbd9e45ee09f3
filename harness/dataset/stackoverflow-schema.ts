import { ConfigError } from '../base/errors.js';
import { quoteIdent } from '../engines/postgres-sql.js';

/**
 * The StackOverflow2013 tables as Brent Ozar's SQL Server copy has them, in PostgreSQL types:
 * int → int (bigint when a scale needs more ids), nvarchar(n) → varchar(n), nvarchar(max) → text,
 * datetime → timestamp(3) (SQL Server's datetime keeps about a millisecond).
 */
export type TableName =
  | 'Users' | 'Posts' | 'Votes' | 'Comments' | 'Badges' | 'PostLinks'
  | 'VoteTypes' | 'PostTypes' | 'LinkTypes';

/** Row counts of StackOverflow2013; the six big tables sum to 106,534,545 rows. */
export const STACKOVERFLOW_2013_ROWS: Readonly<Record<TableName, number>> = {
  Votes: 52_928_720,
  Comments: 24_534_730,
  Posts: 17_142_169,
  Badges: 8_042_005,
  Users: 2_465_713,
  PostLinks: 1_421_208,
  VoteTypes: 15,
  PostTypes: 8,
  LinkTypes: 2,
};

/** Lookup tables hold fixed rows that other tables' ids point at; they never scale. */
export const LOOKUP_TABLES = ['VoteTypes', 'PostTypes', 'LinkTypes'] as const satisfies readonly TableName[];
export const SCALED_TABLES = ['Users', 'Posts', 'Votes', 'Comments', 'Badges', 'PostLinks'] as const satisfies readonly TableName[];
export type LookupTable = (typeof LOOKUP_TABLES)[number];
export type ScaledTable = (typeof SCALED_TABLES)[number];

/** Rows per table at a scale: round(rows × scale), at least 1 so every table and foreign key has data. */
export function plannedRowCounts(scale: number): Record<TableName, number> {
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new ConfigError([`scale is ${String(scale)}; it must be a number above 0 (1 = StackOverflow2013, 106.5M rows)`]);
  }
  const counts = { ...STACKOVERFLOW_2013_ROWS };
  for (const t of SCALED_TABLES) counts[t] = Math.max(1, Math.round(STACKOVERFLOW_2013_ROWS[t] * scale));
  return counts;
}

/** A column's type: SQL text, or the key type of a table (int, or bigint once its ids outgrow int). */
type ColumnType = string | { readonly keyOf: TableName };

interface ColumnDef<N extends string = string> {
  readonly name: N;
  readonly type: ColumnType;
  readonly nullable?: true;
}

interface ForeignKeyDef {
  readonly column: string;
  readonly references: TableName;
}

interface TableDef {
  readonly columns: readonly ColumnDef[];
  readonly foreignKeys: readonly ForeignKeyDef[];
}

const key = (t: TableName) => ({ keyOf: t }) as const;
// Generic so each name keeps its literal type: ColumnOf<T> then lists exactly a table's columns.
const col = <N extends string>(name: N, type: ColumnType): ColumnDef<N> => ({ name, type });
const nullable = <N extends string>(name: N, type: ColumnType): ColumnDef<N> => ({ name, type, nullable: true });

/**
 * Columns in the SQL Server dump's order. Only the foreign keys the benchmark needs are declared
 * (SQL Server's copy has none; Posts.ParentId, AcceptedAnswerId and LastEditorUserId stay plain ints).
 */
export const STACKOVERFLOW_TABLES = {
  Users: {
    columns: [
      col('Id', key('Users')), nullable('AboutMe', 'text'), nullable('Age', 'int'), col('CreationDate', 'timestamp(3)'),
      col('DisplayName', 'varchar(40)'), col('DownVotes', 'int'), nullable('EmailHash', 'varchar(40)'),
      col('LastAccessDate', 'timestamp(3)'), nullable('Location', 'varchar(100)'), col('Reputation', 'int'),
      col('UpVotes', 'int'), col('Views', 'int'), nullable('WebsiteUrl', 'varchar(200)'), nullable('AccountId', 'int'),
    ],
    foreignKeys: [],
  },
  Posts: {
    columns: [
      col('Id', key('Posts')), nullable('AcceptedAnswerId', key('Posts')), nullable('AnswerCount', 'int'), col('Body', 'text'),
      nullable('ClosedDate', 'timestamp(3)'), nullable('CommentCount', 'int'), nullable('CommunityOwnedDate', 'timestamp(3)'),
      col('CreationDate', 'timestamp(3)'), nullable('FavoriteCount', 'int'), col('LastActivityDate', 'timestamp(3)'),
      nullable('LastEditDate', 'timestamp(3)'), nullable('LastEditorDisplayName', 'varchar(40)'),
      nullable('LastEditorUserId', key('Users')), nullable('OwnerUserId', key('Users')), nullable('ParentId', key('Posts')),
      col('PostTypeId', key('PostTypes')), col('Score', 'int'), nullable('Tags', 'varchar(150)'), nullable('Title', 'varchar(250)'),
      col('ViewCount', 'int'),
    ],
    foreignKeys: [
      { column: 'OwnerUserId', references: 'Users' },
      { column: 'PostTypeId', references: 'PostTypes' },
    ],
  },
  Votes: {
    columns: [
      col('Id', key('Votes')), col('PostId', key('Posts')), nullable('UserId', key('Users')), nullable('BountyAmount', 'int'),
      col('VoteTypeId', key('VoteTypes')), col('CreationDate', 'timestamp(3)'),
    ],
    foreignKeys: [
      { column: 'PostId', references: 'Posts' },
      { column: 'VoteTypeId', references: 'VoteTypes' },
    ],
  },
  Comments: {
    columns: [
      col('Id', key('Comments')), col('CreationDate', 'timestamp(3)'), col('PostId', key('Posts')), nullable('Score', 'int'),
      col('Text', 'varchar(700)'), nullable('UserId', key('Users')),
    ],
    foreignKeys: [
      { column: 'PostId', references: 'Posts' },
      { column: 'UserId', references: 'Users' },
    ],
  },
  Badges: {
    columns: [col('Id', key('Badges')), col('Name', 'varchar(40)'), col('UserId', key('Users')), col('Date', 'timestamp(3)')],
    foreignKeys: [{ column: 'UserId', references: 'Users' }],
  },
  PostLinks: {
    columns: [
      col('Id', key('PostLinks')), col('CreationDate', 'timestamp(3)'), col('PostId', key('Posts')),
      col('RelatedPostId', key('Posts')), col('LinkTypeId', key('LinkTypes')),
    ],
    foreignKeys: [
      { column: 'PostId', references: 'Posts' },
      { column: 'RelatedPostId', references: 'Posts' },
      { column: 'LinkTypeId', references: 'LinkTypes' },
    ],
  },
  VoteTypes: { columns: [col('Id', key('VoteTypes')), col('Name', 'varchar(50)')], foreignKeys: [] },
  PostTypes: { columns: [col('Id', key('PostTypes')), col('Type', 'varchar(50)')], foreignKeys: [] },
  LinkTypes: { columns: [col('Id', key('LinkTypes')), col('Type', 'varchar(50)')], foreignKeys: [] },
} as const satisfies Record<TableName, TableDef>;

/** The column names of one table, as a type: generators must produce exactly these. */
export type ColumnOf<T extends TableName> = (typeof STACKOVERFLOW_TABLES)[T]['columns'][number]['name'];

export const TABLE_NAMES = Object.keys(STACKOVERFLOW_TABLES) as TableName[];

const INT_MAX = 2 ** 31 - 1;

export function qualifiedTable(schema: string, table: TableName): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

function typeSql(type: ColumnType, rows: Record<TableName, number>): string {
  if (typeof type === 'string') return type;
  return rows[type.keyOf] > INT_MAX ? 'bigint' : 'int';
}

/** Without keys: rows load fastest into a bare heap, and keys are built once afterwards. */
export function createTableSql(schema: string, table: TableName, rows: Record<TableName, number>): string {
  const columns: readonly ColumnDef[] = STACKOVERFLOW_TABLES[table].columns;
  const defs = columns.map((c) => `${quoteIdent(c.name)} ${typeSql(c.type, rows)}${c.nullable ? '' : ' NOT NULL'}`);
  return `CREATE TABLE ${qualifiedTable(schema, table)} (${defs.join(', ')})`;
}

export function columnNames(table: TableName): string[] {
  const columns: readonly ColumnDef[] = STACKOVERFLOW_TABLES[table].columns;
  return columns.map((c) => c.name);
}

export function dropTablesSql(schema: string): string {
  return `DROP TABLE IF EXISTS ${TABLE_NAMES.map((t) => qualifiedTable(schema, t)).join(', ')} CASCADE`;
}

export function primaryKeySql(schema: string, table: TableName): string {
  return `ALTER TABLE ${qualifiedTable(schema, table)} ADD CONSTRAINT ${quoteIdent(`PK_${table}__Id`)} PRIMARY KEY ("Id")`;
}

export interface ForeignKeyStep {
  readonly table: TableName;
  readonly name: string;
  /** Adds the constraint without checking rows: a catalog change, but it locks both tables briefly. */
  readonly addSql: string;
  /** Checks the rows under a lock that lets other validations of the same tables run in parallel. */
  readonly validateSql: string;
}

export function foreignKeySteps(schema: string): ForeignKeyStep[] {
  return TABLE_NAMES.flatMap((table) =>
    (STACKOVERFLOW_TABLES[table].foreignKeys as readonly ForeignKeyDef[]).map((fk) => {
      const name = `FK_${table}_${fk.column}__${fk.references}`;
      const t = qualifiedTable(schema, table);
      return {
        table,
        name,
        addSql: `ALTER TABLE ${t} ADD CONSTRAINT ${quoteIdent(name)} FOREIGN KEY (${quoteIdent(fk.column)}) REFERENCES ${qualifiedTable(schema, fk.references)} ("Id") NOT VALID`,
        validateSql: `ALTER TABLE ${t} VALIDATE CONSTRAINT ${quoteIdent(name)}`,
      };
    }),
  );
}
