/**
 * TEST SERVER CODE (not part of bench): a cursor over tds-sql.ts tokens for the write statements
 * (DDL, INSERT, insert bulk): keywords, [schema].[name], column lists and type names.
 */
import { SqlError, TokenCursor, tokenize, type Token } from './tds-tokens.js';
import { parseType, type SqlType } from './tds-types.js';

export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

/** The types CREATE TABLE accepts (SQL Server's 2715 for anything else). */
const KNOWN_TYPES = new Set([
  'tinyint', 'smallint', 'int', 'bigint', 'bit', 'decimal', 'numeric', 'money', 'smallmoney', 'real', 'float',
  'date', 'time', 'datetime', 'datetime2', 'smalldatetime', 'datetimeoffset', 'char', 'varchar', 'nchar',
  'nvarchar', 'text', 'ntext', 'uniqueidentifier', 'binary', 'varbinary', 'image', 'xml',
]);

export class Cursor extends TokenCursor {
  constructor(readonly sql: string) {
    super(tokenize(sql));
  }

  syntax(t: Token | undefined = this.peek()): SqlError {
    return new SqlError(t ? `Incorrect syntax near '${t.v}'.` : 'Incorrect syntax near the end of the statement.', 102, 15);
  }

  word(w: string): void {
    const t = this.next();
    if (t.t !== 'id' || t.v.toUpperCase() !== w) throw this.syntax(t);
  }

  /** Consumes the keyword if it is next. */
  optWord(w: string): boolean {
    if (!this.isWord(w)) return false;
    this.i++;
    return true;
  }

  op(o: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== o) throw this.syntax(t);
  }

  optOp(o: string): boolean {
    if (!this.isOp(o)) return false;
    this.i++;
    return true;
  }

  /** An identifier, bracket-quoted or plain. */
  ident(): string {
    const t = this.next();
    if (t.t !== 'qid' && t.t !== 'id') throw this.syntax(t);
    return t.v;
  }

  /** [schema].[name], or [name] in dbo. */
  qualified(): QualifiedName {
    const first = this.ident();
    if (!this.optOp('.')) return { schema: 'dbo', name: first };
    return { schema: first, name: this.ident() };
  }

  /** ( [a], [b] ) */
  identList(): string[] {
    this.op('(');
    const out = [this.ident()];
    while (this.optOp(',')) out.push(this.ident());
    this.op(')');
    return out;
  }

  /** A type name with its arguments: int, decimal(38, 10), nvarchar(max), float(24). */
  type(column: string, ordinal: number): SqlType {
    const name = this.ident().toLowerCase();
    const args: string[] = [];
    if (this.optOp('(')) {
      args.push(this.next().v);
      while (this.optOp(',')) args.push(this.next().v);
      this.op(')');
    }
    if (!KNOWN_TYPES.has(name)) throw new SqlError(`Column, parameter, or variable #${ordinal}: Cannot find data type ${name}.`, 2715);
    // float(1..24) is real, float(25..53) is float: SQL Server keeps no other precision.
    if (name === 'float') return args[0] !== undefined && Number(args[0]) <= 24 ? { name: 'real' } : { name: 'float', precision: 53 };
    const type = parseType(args.length ? `${name}(${args.join(',')})` : name);
    const max = name === 'nchar' || name === 'nvarchar' ? 4000 : 8000;
    if (type.length !== undefined && type.length !== -1 && (type.length < 1 || type.length > max)) {
      throw new SqlError(`The size (${type.length}) given to the column '${column}' exceeds the maximum allowed for any data type (${max}).`, 131);
    }
    return type;
  }

  /** At the end, allowing one trailing semicolon. */
  done(): boolean {
    return this.i >= this.toks.length || (this.isOp(';') && this.i === this.toks.length - 1);
  }

  end(): void {
    if (!this.done()) throw this.syntax();
  }
}

export function display(t: QualifiedName): string {
  return `${t.schema}.${t.name}`;
}
