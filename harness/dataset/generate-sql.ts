import { quoteIdent } from '../engines/postgres-sql.js';
import { textWindow } from './corpus.js';
import { Draws, sqlString } from './draws.js';
import {
  columnNames, qualifiedTable,
  type ColumnOf, type LookupTable, type ScaledTable, type TableName,
} from './stackoverflow-schema.js';
import { DAY_MS, HOUR_MS, SPAN_MS, dayOf, spreadMs, timestampAt } from './timeline.js';
import { BADGES, FIRST_NAMES, LAST_NAMES, LOCATIONS, TAGS } from './vocabulary.js';

/**
 * One set-based INSERT … SELECT per table over generate_series: the server computes every row, nothing
 * passes through Node. Each statement has two levels: the inner select draws values that several
 * columns share (creation time, post type, text window bounds), fenced with OFFSET 0 so the planner
 * cannot inline them into every column that uses them; the outer select builds the columns.
 *
 * Every foreign key points at rows that exist: a row refers to a user or post "so far", i.e. among the
 * first id × (their rows / our rows) ids, so references also respect time order, as on the real site.
 */
export interface GenerateContext {
  readonly schema: string;
  readonly seed: number;
  readonly rows: Readonly<Record<TableName, number>>;
}

type Columns<T extends TableName> = Record<ColumnOf<T>, string>;

interface Generated<T extends TableName> {
  readonly inner: Record<string, string>;
  readonly columns: Columns<T>;
}

function insertSelect<T extends ScaledTable>(ctx: GenerateContext, table: T, g: Generated<T>): string {
  const names = columnNames(table) as ColumnOf<T>[];
  const inner = Object.entries(g.inner).map(([name, sql]) => `,\n    ${sql} AS ${name}`).join('');
  return `INSERT INTO ${qualifiedTable(ctx.schema, table)} (${names.map(quoteIdent).join(', ')})
SELECT
  ${names.map((n) => `${g.columns[n]}`).join(',\n  ')}
FROM (
  SELECT id${inner}
  FROM generate_series(1::bigint, ${ctx.rows[table]}) AS g(id)
  OFFSET 0
) AS r`;
}

/** Id among the first `id × target/own` rows of `target`: [1, limit], crowded toward 1 by `power`. */
function earlyRef(d: Draws, salt: number, target: number, own: number, power: number): string {
  return `(1 + ${d.skewed(salt, soFar(target, own), power)})`;
}

/** Id among the first `id × target/own` rows of `target`: [1, limit], crowded toward the newest. */
function recentRef(d: Draws, salt: number, target: number, own: number, power: number): string {
  const limit = soFar(target, own);
  return `(${limit} - ${d.skewed(salt, limit, power)})`;
}

function soFar(target: number, own: number): string {
  return `least(${target}, greatest(1, (id::float8 * ${target} / ${own})::bigint))`;
}

const when = (condition: string, value: string) => `CASE WHEN ${condition} THEN ${value} END`;

function users(ctx: GenerateContext): string {
  const d = new Draws(ctx.seed);
  const n = ctx.rows.Users;
  const about = textWindow(ctx.schema, d, 'about', 3, 20, 1500, 3);
  const displayName = `CASE ${d.below(7, 20)}
      WHEN 0 THEN 'user' || id WHEN 1 THEN 'user' || id WHEN 2 THEN 'user' || id WHEN 3 THEN 'user' || id
      WHEN 4 THEN lower(${d.pickFrom(8, FIRST_NAMES)}) || ${d.below(9, 1000)}
      ELSE ${d.pickFrom(8, FIRST_NAMES)} || ' ' || ${d.pickFrom(9, LAST_NAMES)} END`;
  return insertSelect(ctx, 'Users', {
    inner: { t0: `${spreadMs('id', n)} + ${d.below(1, 12 * HOUR_MS)}`, ...about.inner },
    columns: {
      Id: 'id',
      AboutMe: when(d.chance(2, 200), `'<p>' || ${about.text} || '</p>'`),
      Age: when(d.chance(5, 120), `16 + ${d.below(6, 50)}`),
      CreationDate: timestampAt('t0'),
      DisplayName: displayName,
      DownVotes: `CASE WHEN ${d.chance(10, 900)} THEN 0 ELSE ${d.skewed(11, 5000, 6)} END`,
      // The public dumps have no e-mail hashes any more: the column is NULL throughout.
      EmailHash: 'NULL',
      LastAccessDate: timestampAt(`${SPAN_MS - 1} - ${d.skewed(12, `${SPAN_MS - 1} - t0`, 3)}`),
      Location: when(d.chance(13, 300), d.pickFrom(14, LOCATIONS, 2)),
      Reputation: `CASE WHEN ${d.chance(15, 450)} THEN 1 ELSE 1 + ${d.skewed(16, 100_000, 12)} END`,
      UpVotes: `CASE WHEN ${d.chance(17, 650)} THEN 0 ELSE ${d.skewed(18, 20_000, 8)} END`,
      Views: d.skewed(19, 50_000, 8),
      WebsiteUrl: when(d.chance(20, 180), `'http://www.' || lower(${d.pickFrom(21, LAST_NAMES)}) || id || '.com'`),
      AccountId: `CASE WHEN ${d.chance(22, 2)} THEN NULL ELSE id * 2 - ${d.below(23, 2)} END`,
    },
  });
}

/**
 * Posts come in blocks of 20 ids: slots 0–6 are questions (35%, as in 2013), slots 7–19 answers, whose
 * ParentId is the question in slot (slot − 7) mod 7 of the same block; slot 19 of every eighth block is
 * one of the rarer types (wikis, nominations). So AnswerCount and AcceptedAnswerId agree with ParentId.
 */
function posts(ctx: GenerateContext): string {
  const d = new Draws(ctx.seed);
  const n = ctx.rows.Posts;
  const body = textWindow(ctx.schema, d, 'body', 4, 40, 2300, 2);
  const title = textWindow(ctx.schema, d, 'title', 6, 15, 110, 1);
  const tag = (k: number) => `'<' || ${d.pickFrom(40 + k, TAGS, 2)} || '>'`;
  const tags = [1, 2, 3, 4, 5].map((k) => (k === 1 ? tag(k) : `CASE WHEN ntags >= ${k} THEN ${tag(k)} ELSE '' END`)).join(' || ');
  const edited = d.chance(16, 450);
  const editorByName = d.chance(18, 8);
  return insertSelect(ctx, 'Posts', {
    inner: {
      blk: '(id - 1) / 20',
      slot: '(id - 1) % 20',
      type: `CASE WHEN (id - 1) % 20 < 7 THEN 1 WHEN (id - 1) % 20 = 19 AND (id - 1) / 20 % 8 = 0 THEN 3 + ${d.below(1, 6)} ELSE 2 END`,
      t0: `${spreadMs('id', n)} + ${d.below(2, HOUR_MS)}`,
      ntags: `1 + ${d.below(25, 5)}`,
      ...body.inner,
      ...title.inner,
    },
    columns: {
      Id: 'id',
      AcceptedAnswerId: when(`type = 1 AND id + 7 <= ${n} AND ${d.chance(8, 500)}`, 'id + 7'),
      AnswerCount: when('type = 1', `(id + 7 <= ${n})::int + (slot <= 5 AND id + 14 <= ${n} AND NOT (slot = 5 AND blk % 8 = 0))::int`),
      Body: `'<p>' || ${body.text} || '</p>'`,
      ClosedDate: when(`type = 1 AND ${d.chance(9, 40)}`, timestampAt(`t0 + ${d.below(10, 30 * DAY_MS)}`)),
      CommentCount: d.skewed(11, 30, 5),
      CommunityOwnedDate: when(d.chance(12, 5), timestampAt(`t0 + ${d.below(13, 90 * DAY_MS)}`)),
      CreationDate: timestampAt('t0'),
      FavoriteCount: when(`type = 1 AND ${d.chance(14, 250)}`, `1 + ${d.skewed(15, 500, 8)}`),
      LastActivityDate: timestampAt(`t0 + ${lastActivity(d)}`),
      LastEditDate: when(edited, timestampAt(`t0 + ${d.skewed(17, lastActivity(d), 1)}`)),
      LastEditorDisplayName: when(editorByName, `${d.pickFrom(19, FIRST_NAMES)} || ' ' || ${d.pickFrom(20, LAST_NAMES)}`),
      LastEditorUserId: when(`${edited} AND NOT ${editorByName}`, `1 + ${d.below(21, ctx.rows.Users)}`),
      OwnerUserId: `CASE WHEN ${d.chance(22, 10)} THEN NULL ELSE ${earlyRef(d, 23, ctx.rows.Users, n, 2)} END`,
      ParentId: when('type = 2', 'blk * 20 + (slot - 7) % 7 + 1'),
      PostTypeId: 'type',
      Score: `CASE WHEN ${d.chance(24, 80)} THEN -1 - ${d.below(26, 3)} ELSE ${d.skewed(27, 200, 10)} END`,
      Tags: when('type = 1', `(${tags})`),
      Title: when('type = 1', `upper(left(${title.text}, 1)) || substr(${title.text}, 2) || CASE WHEN ${d.chance(28, 400)} THEN '?' ELSE '' END`),
      ViewCount: `CASE WHEN type = 1 THEN 10 + ${d.skewed(29, 100_000, 8)} ELSE 0 END`,
    },
  });
}

/** Milliseconds from creation to last activity: mostly soon after, some until the end of the span. */
function lastActivity(d: Draws): string {
  return d.skewed(3, `${SPAN_MS - 1} - t0`, 4);
}

/** Vote types by share per mille, roughly 2013's mix: mostly up-votes, then accepts, favorites, down-votes. */
export const VOTE_TYPE_SHARES: readonly (readonly [id: number, perMille: number])[] = [
  [2, 700], [1, 80], [5, 80], [3, 60], [10, 20], [6, 18], [7, 5], [11, 5], [12, 4], [8, 5], [9, 5], [4, 4], [15, 5], [16, 7], [13, 2],
];

function votes(ctx: GenerateContext): string {
  const d = new Draws(ctx.seed);
  const n = ctx.rows.Votes;
  let upTo = 0;
  const branches = VOTE_TYPE_SHARES.map(([id, share]) => `WHEN vt_draw < ${(upTo += share)} THEN ${id}`);
  // Comparisons only: the draw itself is hashed once, in the inner select.
  const vt = `(CASE ${branches.join(' ')} END)`;
  return insertSelect(ctx, 'Votes', {
    inner: {
      vt_draw: d.below(1, 1000),
      t0: `${spreadMs('id', n)} + ${d.below(2, DAY_MS)}`,
    },
    columns: {
      Id: 'id',
      PostId: recentRef(d, 3, ctx.rows.Posts, n, 3),
      // Only favorites (5) and bounties (8, 9) name the voter in the public dump.
      UserId: when(`${vt} IN (5, 8, 9)`, earlyRef(d, 4, ctx.rows.Users, n, 2)),
      BountyAmount: when(`${vt} IN (8, 9)`, `50 * (1 + ${d.below(5, 10)})`),
      VoteTypeId: vt,
      CreationDate: timestampAt(dayOf('t0')),
    },
  });
}

function comments(ctx: GenerateContext): string {
  const d = new Draws(ctx.seed);
  const n = ctx.rows.Comments;
  const text = textWindow(ctx.schema, d, 'txt', 1, 15, 510, 2);
  return insertSelect(ctx, 'Comments', {
    inner: { t0: `${spreadMs('id', n)} + ${d.below(3, HOUR_MS)}`, ...text.inner },
    columns: {
      Id: 'id',
      CreationDate: timestampAt('t0'),
      PostId: recentRef(d, 4, ctx.rows.Posts, n, 3),
      Score: `CASE WHEN ${d.chance(5, 800)} THEN 0 ELSE 1 + ${d.skewed(6, 100, 8)} END`,
      Text: text.text,
      UserId: `CASE WHEN ${d.chance(7, 4)} THEN NULL ELSE ${earlyRef(d, 8, ctx.rows.Users, n, 2)} END`,
    },
  });
}

function badges(ctx: GenerateContext): string {
  const d = new Draws(ctx.seed);
  const n = ctx.rows.Badges;
  return insertSelect(ctx, 'Badges', {
    inner: {},
    columns: {
      Id: 'id',
      Name: d.pickFrom(1, BADGES, 3),
      UserId: earlyRef(d, 2, ctx.rows.Users, n, 2),
      Date: timestampAt(`${spreadMs('id', n)} + ${d.below(3, DAY_MS)}`),
    },
  });
}

function postLinks(ctx: GenerateContext): string {
  const d = new Draws(ctx.seed);
  const n = ctx.rows.PostLinks;
  return insertSelect(ctx, 'PostLinks', {
    inner: { post: recentRef(d, 2, ctx.rows.Posts, n, 2) },
    columns: {
      Id: 'id',
      CreationDate: timestampAt(`${spreadMs('id', n)} + ${d.below(1, DAY_MS)}`),
      PostId: 'post',
      // An older post, never the post itself (unless there is only one).
      RelatedPostId: `CASE WHEN post > 1 THEN 1 + ${d.below(3, 'post - 1')} ELSE 1 END`,
      LinkTypeId: `CASE WHEN ${d.chance(4, 150)} THEN 3 ELSE 1 END`,
    },
  });
}

/** The generator of each big table: a const registry, keyed by table name. */
export const TABLE_GENERATORS = {
  Users: users,
  Posts: posts,
  Votes: votes,
  Comments: comments,
  Badges: badges,
  PostLinks: postLinks,
} as const satisfies Record<ScaledTable, (ctx: GenerateContext) => string>;

/** The lookup tables' rows, with StackOverflow's own ids (VoteTypes has no 14, LinkTypes are 1 and 3). */
export const LOOKUP_ROWS = {
  VoteTypes: [
    [1, 'AcceptedByOriginator'], [2, 'UpMod'], [3, 'DownMod'], [4, 'Offensive'], [5, 'Favorite'], [6, 'Close'],
    [7, 'Reopen'], [8, 'BountyStart'], [9, 'BountyClose'], [10, 'Deletion'], [11, 'Undeletion'], [12, 'Spam'],
    [13, 'InformModerator'], [15, 'ModeratorReview'], [16, 'ApproveEditSuggestion'],
  ],
  PostTypes: [
    [1, 'Question'], [2, 'Answer'], [3, 'Wiki'], [4, 'TagWikiExcerpt'], [5, 'TagWiki'], [6, 'ModeratorNomination'],
    [7, 'WikiPlaceholder'], [8, 'PrivilegeWiki'],
  ],
  LinkTypes: [[1, 'Linked'], [3, 'Duplicate']],
} as const satisfies Record<LookupTable, readonly (readonly [number, string])[]>;

export function lookupInsertSql(schema: string, table: LookupTable): string {
  const [idColumn, nameColumn] = columnNames(table);
  const values = LOOKUP_ROWS[table].map(([id, name]) => `(${id}, ${sqlString(name)})`).join(', ');
  return `INSERT INTO ${qualifiedTable(schema, table)} (${quoteIdent(idColumn!)}, ${quoteIdent(nameColumn!)}) VALUES ${values}`;
}
