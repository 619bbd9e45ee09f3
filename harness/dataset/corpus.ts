import { quoteIdent } from '../engines/postgres-sql.js';
import { Draws } from './draws.js';
import { WORDS } from './vocabulary.js';

/**
 * Long text (Posts.Body, Comments.Text, Users.AboutMe, titles) is cut from one corpus: about 1.6 MB of
 * prose-like words from the fixed vocabulary, built once per seed with the seed's hash. Cutting a window
 * costs one memory copy per row, where assembling ~130 words per row with string_agg would cost the
 * seed most of its time. Windows start and end on word boundaries.
 *
 * The corpus lives in the `_bench` schema (bench's introspection skips it) for the length of a seed.
 */
const CORPUS_WORDS = 250_000;
/** A word or separator never exceeds this, so a space always occurs within WORD_SPAN bytes. */
export const WORD_SPAN = 16;
/** A sentence ends after about one word in 12, a comma after one in 20. */
const SENTENCE_END_PER_MILLE = 83;
const COMMA_PER_MILLE = 50;

export function corpusTable(schema: string): string {
  return `_bench.${quoteIdent(`stackoverflow_corpus_${schema}`)}`;
}

/** Builds the corpus table: columns blob (bytea, so windows cut in O(1)) and bytes. */
export function createCorpusSql(schema: string, seed: number): string {
  const at = new Draws(seed, 'i');
  const before = new Draws(seed, '(i - 1)');
  // Salt 1: which word; salt 2: what follows it. The word after a sentence end gets a capital.
  const separator = (d: Draws) =>
    `CASE WHEN ${d.below(2, 1000)} < ${SENTENCE_END_PER_MILLE} THEN '. ' WHEN ${d.below(2, 1000)} < ${SENTENCE_END_PER_MILLE + COMMA_PER_MILLE} THEN ', ' ELSE ' ' END`;
  return `CREATE UNLOGGED TABLE ${corpusTable(schema)} AS
SELECT blob, octet_length(blob) AS bytes FROM (
  SELECT convert_to(string_agg(word || sep, '' ORDER BY i), 'UTF8') AS blob FROM (
    SELECT i,
      CASE WHEN ${separator(before)} = '. ' THEN upper(left(w, 1)) || substr(w, 2) ELSE w END AS word,
      ${separator(at)} AS sep
    FROM (SELECT i, ${at.pickFrom(1, WORDS, 2)} AS w FROM generate_series(1::bigint, ${CORPUS_WORDS}) AS g(i) OFFSET 0) AS picked
  ) AS words
) AS joined`;
}

export function dropCorpusSql(schema: string): string {
  return `DROP TABLE IF EXISTS ${corpusTable(schema)}`;
}

export interface TextWindow {
  /** Columns for the inner select: where the window starts and ends in the corpus. */
  readonly inner: Record<string, string>;
  /** The text, for the outer select. */
  readonly text: string;
}

/**
 * A window of about minLen…maxLen characters (density u^power, so mostly short with a long tail),
 * moved forward to the next word start and extended to the end of its last word.
 * `name` prefixes the two inner columns; salts `salt` and `salt + 1` are used.
 */
export function textWindow(schema: string, d: Draws, name: string, salt: number, minLen: number, maxLen: number, power: number): TextWindow {
  // Forcing a detoasted copy (|| '') in the scalar subquery makes it an init plan run once per
  // statement; a bare column reference would fetch and decompress TOAST chunks for every row.
  const blob = `(SELECT blob || ''::bytea FROM ${corpusTable(schema)})`;
  const room = `((SELECT bytes FROM ${corpusTable(schema)}) - ${maxLen + 2 * WORD_SPAN})`;
  const off = `(1 + ${d.below(salt, room)})::int`;
  const len = `(${minLen} + ${d.skewed(salt + 1, maxLen - minLen, power)})::int`;
  const space = `'\\x20'::bytea`;
  return {
    inner: {
      [`${name}_st`]: `${off} + position(${space} IN substring(${blob} FROM ${off} FOR ${WORD_SPAN}))`,
      [`${name}_en`]: `${off} + ${len} + position(${space} IN substring(${blob} FROM ${off} + ${len} FOR ${WORD_SPAN})) - 1`,
    },
    text: `convert_from(substring(${blob} FROM ${name}_st FOR ${name}_en - ${name}_st), 'UTF8')`,
  };
}
