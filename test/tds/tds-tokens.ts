/**
 * TEST SERVER CODE (not part of bench): the TDS test server's errors and T-SQL tokens, and the cursor
 * both of its statement readers walk tokens with (tds-sql.ts for SELECT, tds-cursor.ts for writes).
 * Apart from tds-sql.ts so that tds-cursor.ts can extend TokenCursor without an import cycle.
 */

/** A server message: severity above 10 travels as an ERROR token, 10 and below as INFO. */
export interface SqlMessage {
  readonly number: number;
  readonly message: string;
  readonly severity: number;
}

export class SqlError extends Error {
  constructor(
    message: string,
    readonly number: number,
    readonly severity = 16,
    /**
     * Messages SQL Server sends after this one for the same failure, e.g. 1750 "Could not create
     * constraint or index" after 1505, or the 3621 INFO "The statement has been terminated.".
     */
    readonly more: readonly SqlMessage[] = [],
  ) {
    super(message);
  }
}

/** 3621, severity 0: SQL Server's INFO after a statement that failed on a constraint or a NULL. */
export const TERMINATED: SqlMessage = { number: 3621, message: 'The statement has been terminated.', severity: 0 };

// ---------------------------------------------------------------- tokens

export type Token = { t: 'id' | 'qid' | 'str' | 'num' | 'bin' | 'param' | 'op'; v: string };

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '[') {
      let v = '';
      i++;
      for (;;) {
        const j = sql.indexOf(']', i);
        if (j < 0) throw new SqlError(`Unclosed quotation mark after the character string '${sql.slice(i)}'.`, 105, 15);
        v += sql.slice(i, j);
        if (sql[j + 1] === ']') {
          v += ']';
          i = j + 2;
        } else {
          i = j + 1;
          break;
        }
      }
      out.push({ t: 'qid', v });
    } else if (ch === "'" || ((ch === 'N' || ch === 'n') && sql[i + 1] === "'")) {
      i += ch === "'" ? 1 : 2;
      let v = '';
      for (;;) {
        const j = sql.indexOf("'", i);
        if (j < 0) throw new SqlError('Unclosed quotation mark.', 105, 15);
        v += sql.slice(i, j);
        if (sql[j + 1] === "'") {
          v += "'";
          i = j + 2;
        } else {
          i = j + 1;
          break;
        }
      }
      out.push({ t: 'str', v });
    } else if (ch === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'X')) {
      // A binary literal, 0x0102 (v holds the hex digits).
      const m = /^0x([0-9a-fA-F]*)/i.exec(sql.slice(i))!;
      out.push({ t: 'bin', v: m[1]! });
      i += m[0].length;
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(sql.slice(i))!;
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
    } else if (ch === '@') {
      const m = /^@@?[A-Za-z0-9_]+/.exec(sql.slice(i))!;
      out.push({ t: 'param', v: m[0].slice(1) });
      i += m[0].length;
    } else if (/[A-Za-z_#]/.test(ch)) {
      const m = /^[A-Za-z_#][A-Za-z0-9_$#]*/.exec(sql.slice(i))!;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else {
      const two = sql.slice(i, i + 2);
      if (two === '<=' || two === '>=' || two === '<>' || two === '!=') {
        out.push({ t: 'op', v: two });
        i += 2;
      } else {
        out.push({ t: 'op', v: ch });
        i++;
      }
    }
  }
  return out;
}

/** Token navigation shared by the SELECT parser (tds-sql.ts) and the write-statement cursor (tds-cursor.ts). */
export class TokenCursor {
  protected i = 0;

  constructor(protected readonly toks: readonly Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.toks[this.i + offset];
  }

  isWord(w: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.t === 'id' && t.v.toUpperCase() === w;
  }

  isOp(o: string): boolean {
    const t = this.peek();
    return t?.t === 'op' && t.v === o;
  }

  next(): Token {
    const t = this.toks[this.i++];
    if (!t) throw new SqlError('Incorrect syntax near the end of the statement.', 102, 15);
    return t;
  }
}
