import type { Column } from '../model/catalog.js';
import type { BcpTool } from './bcp-tool.js';

/**
 * Which columns FreeTDS freebcp 1.3.x copies correctly in native format (-n), out and back in. Found by
 * experiment with freebcp 1.3.17 against the TDS test server (test/tds/bcp-trial.test.ts), one type at a
 * time, with a value, a NULL and an empty string:
 *
 * - a NULL in a nullable fixed-length column (int family, bit, money, real, float, datetime,
 *   smalldatetime, uniqueidentifier): `out` writes a zero length prefix, `in` then reads the type's
 *   full width anyway and the file misaligns ("Unexpected EOF encountered in bcp datafile"; FreeTDS
 *   issue #686, fixed after 1.3);
 * - a NULL in a nullable time, datetime2, datetimeoffset, char, varchar, text, binary, varbinary or
 *   image column comes back as a value (a time, blanks, an empty string, zero bytes);
 * - nchar, nvarchar and ntext: `out` writes the client charset's UTF-8 and `in` sends those bytes as
 *   UTF-16, so every non-empty value is wrong;
 * - date: `out` writes FreeTDS's 16-byte internal date, `in` reads 3 bytes;
 * - xml: `in` leaves the column out of its `insert bulk` statement.
 *
 * What round-trips: every other type NOT NULL, and decimal/numeric also nullable. char, varchar and
 * text are exact only when the column's code page is 1252 (bench's freetds.conf sets that client
 * charset: see freetdsConf). Anything else is refused before a row moves, rather than copied wrong.
 */
const EXACT_NOT_NULL = new Set([
  'tinyint', 'smallint', 'int', 'bigint', 'bit', 'decimal', 'numeric', 'money', 'smallmoney', 'real', 'float',
  'time', 'datetime', 'datetime2', 'smalldatetime', 'datetimeoffset', 'char', 'varchar', 'text',
  'uniqueidentifier', 'binary', 'varbinary', 'image',
]);
const EXACT_NULLABLE = new Set(['decimal', 'numeric']);

const WHY: Readonly<Record<string, string>> = {
  nchar: 'sends Unicode values as the UTF-8 bytes of its data file',
  nvarchar: 'sends Unicode values as the UTF-8 bytes of its data file',
  ntext: 'sends Unicode values as the UTF-8 bytes of its data file',
  date: 'reads 3 bytes of a date where its own out wrote 16',
  xml: 'leaves xml columns out of its insert bulk statement',
};

/** Whether this is a freebcp release with the native-format defects above (1.3.x and older). */
export function hasNativeDefects(tool: BcpTool): boolean {
  if (tool.flavor !== 'freetds') return false;
  const [major, minor] = tool.version.split('.').map((p) => Number.parseInt(p, 10));
  if (major === undefined || !Number.isFinite(major)) return true; // unknown version: assume the defects
  return major < 1 || (major === 1 && (minor === undefined || !Number.isFinite(minor) || minor <= 3));
}

/**
 * Why `tool` would copy this table's columns wrong, naming the first such column, or undefined when
 * it copies them all correctly. One line, with the fix.
 */
export function nativeFormatProblem(tool: BcpTool, table: string, columns: readonly Column[]): string | undefined {
  if (!hasNativeDefects(tool)) return undefined;
  for (const c of columns) {
    const base = c.nativeType.toLowerCase().replace(/\s*\(.*$/, '').trim();
    if (EXACT_NOT_NULL.has(base) && (!c.nullable || EXACT_NULLABLE.has(base))) continue;
    const why =
      WHY[base] ??
      (EXACT_NOT_NULL.has(base)
        ? `misreads a NULL in a nullable ${base} column (FreeTDS issue #686 and kin)`
        : `was not verified with ${base} columns`);
    return (
      `FreeTDS freebcp ${tool.version} cannot copy ${table} column ${c.name} (${c.nativeType}${c.nullable ? ' NULL' : ''}) in native format: ` +
      `it ${why}; install Microsoft bcp, or FreeTDS > 1.3.x`
    );
  }
  return undefined;
}
