import { describe, expect, it } from 'vitest';
import type { Column } from '../../../harness/model/catalog.js';
import type { BcpTool } from '../../../harness/tools/bcp-tool.js';
import { hasNativeDefects, nativeFormatProblem } from '../../../harness/tools/bcp-freetds.js';

const tool = (flavor: BcpTool['flavor'], version: string): BcpTool => ({ flavor, path: '/x', version });
const col = (name: string, nativeType: string, nullable: boolean): Column => ({ name, nativeType, nullable, portable: { kind: 'text' } });

describe('freebcp native-format defects', () => {
  it('are assumed for FreeTDS 1.3.x and older (and an unknown version), not for later ones or Microsoft bcp', () => {
    expect(['1.3.17', '1.3', '1.2.5', '0.91', 'unknown'].map((v) => hasNativeDefects(tool('freetds', v)))).toEqual([true, true, true, true, true]);
    expect(['1.4.0', '1.5.1', '2.0'].map((v) => hasNativeDefects(tool('freetds', v)))).toEqual([false, false, false]);
    expect(hasNativeDefects(tool('microsoft', '18.2.0001.1'))).toBe(false);
  });

  it('pass every type verified exact: NOT NULL columns, and nullable decimal/numeric', () => {
    const ok = ['tinyint', 'smallint', 'int', 'bigint', 'bit', 'decimal(38,10)', 'numeric(20,0)', 'money', 'smallmoney', 'real', 'float',
      'time(7)', 'datetime', 'datetime2(3)', 'smalldatetime', 'datetimeoffset(7)', 'char(5)', 'varchar(max)', 'text',
      'uniqueidentifier', 'binary(4)', 'varbinary(max)', 'image'].map((t, i) => col(`c${i}`, t, false));
    expect(nativeFormatProblem(tool('freetds', '1.3.17'), 'dbo.t', [...ok, col('d', 'decimal(9,2)', true), col('n', 'numeric(5,0)', true)])).toBeUndefined();
  });

  it('name the table, the first wrong column, the defect and the fix, in one line', () => {
    const problem = (c: Column) => nativeFormatProblem(tool('freetds', '1.3.17'), 'dbo.t', [col('id', 'int', false), c]);
    expect(problem(col('n', 'int', true))).toBe(
      'FreeTDS freebcp 1.3.17 cannot copy dbo.t column n (int NULL) in native format: it misreads a NULL in a nullable int column (FreeTDS issue #686 and kin); install Microsoft bcp, or FreeTDS > 1.3.x',
    );
    expect(problem(col('s', 'nvarchar(20)', false))).toMatch(/column s \(nvarchar\(20\)\).*UTF-8 bytes.*FreeTDS > 1\.3\.x$/);
    expect(problem(col('d', 'date', false))).toMatch(/column d \(date\).*3 bytes/);
    expect(problem(col('x', 'xml', true))).toMatch(/column x \(xml NULL\).*insert bulk/);
    expect(problem(col('v', 'varchar(10)', true))).toMatch(/NULL in a nullable varchar column/);
    expect(problem(col('g', 'geography', false))).toMatch(/not verified with geography/);
    for (const c of [col('n', 'int', true), col('s', 'nvarchar(20)', false)]) expect(problem(c)).not.toContain('\n');
  });

  it('never refuse for Microsoft bcp or a later FreeTDS', () => {
    const cols = [col('s', 'nvarchar(20)', true), col('n', 'int', true)];
    expect(nativeFormatProblem(tool('microsoft', '18.2.0001.1'), 'dbo.t', cols)).toBeUndefined();
    expect(nativeFormatProblem(tool('freetds', '1.4.26'), 'dbo.t', cols)).toBeUndefined();
  });
});
