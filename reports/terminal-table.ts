import Table from 'cli-table3';

/**
 * cli-table3 without colours: the output is read in terminals, CI logs and pasted into issues alike.
 * Every terminal table bench prints starts here.
 */
export function table(head: string[], aligns?: ('left' | 'right')[], options: Table.TableConstructorOptions = {}): Table.Table {
  return new Table({
    head,
    ...options,
    style: { head: [], border: [], compact: false, ...options.style },
    ...(aligns ? { colAligns: aligns } : {}),
  });
}
