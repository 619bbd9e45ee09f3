/**
 * A value an encoder or converter cannot parse (issue 17: a blank-padded money text was written as 0.5000
 * and nothing failed). Thrown with the value and what is wrong with it; the copy that meets it adds the
 * table and column (valueFailure) and stops.
 */
export class ValueError extends Error {
  constructor(
    readonly value: unknown,
    why: string,
  ) {
    super(`${shown(value)} ${why}`);
  }
}

/** A value for a message: quoted text (its blanks visible), cut at 60 characters. */
function shown(value: unknown): string {
  if (Buffer.isBuffer(value)) return `a ${value.length}-byte binary value`;
  const text = typeof value === 'string' ? value : String(value);
  const cut = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return typeof value === 'string' ? `'${cut}'` : `${cut} (${typeof value})`;
}

/** A row whose column `index` held a value that could not be converted or encoded. */
export class RowValueError extends Error {
  constructor(
    readonly index: number,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}
