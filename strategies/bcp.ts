import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { copiedColumns, qualified } from '../harness/model/catalog.js';
import { literalSelectSql, tableSql } from '../harness/engines/mssql-sql.js';
import { parseMssqlUrl } from '../harness/engines/mssql-url.js';
import { BenchError } from '../harness/base/errors.js';
import { bcpCommand, findBcpTool } from '../harness/tools/bcp.js';
import { type BcpTool } from '../harness/tools/bcp-tool.js';
import { nativeFormatProblem } from '../harness/tools/bcp-freetds.js';
import { copyThroughPipe } from '../harness/tools/bcp-run.js';
import type { Strategy } from './strategy.js';

/**
 * SQL Server → SQL Server through the tool people script by hand: Microsoft's bcp, or FreeTDS's freebcp
 * when it is the one installed, in native format (-n). Per task, `out` (or `queryout` with the task's
 * SELECT, for a key range) writes into a named pipe that `in` reads at the same time (harness/tools/
 * bcp-run.ts). The row count is the one `in` reports: for freebcp, the server's own count.
 *
 * Native format maps fields to the target's columns by position and type, so the target table must
 * have the task's columns, in order, with the source's types (a SQL Server target created by bench).
 * Verified: whole trials (out or queryout, pipe, in, validation) with FreeTDS freebcp 1.3.17 against
 * the TDS test server (test/tds/bcp-trial.test.ts) — never against a real SQL Server, and never with
 * Microsoft's bcp. freebcp 1.3.x copies some columns wrong in native format (NULLs in nullable
 * fixed-length columns, FreeTDS issue #686; nchar/nvarchar/ntext; date; xml: harness/tools/
 * bcp-freetds.ts), so a trial with such a column is skipped before the target is reset, naming the column.
 */
export const bcp: Strategy = {
  name: 'bcp',
  description: "Microsoft's bcp or FreeTDS freebcp, native format: out (queryout for a key range) into a named pipe, in from it",

  supports(pair) {
    return pair.source === 'mssql' && pair.target === 'mssql' ? true : 'bcp copies SQL Server to SQL Server only';
  },

  async available(tables) {
    const tool = await findBcpTool();
    if (typeof tool === 'string') return tool;
    // A table freebcp 1.3 would copy wrong skips the trial, naming the column, before the target is reset.
    for (const t of tables) {
      const problem = nativeFormatProblem(tool, qualified(t), copiedColumns(t));
      if (problem) return problem;
    }
    return true;
  },

  async copyTask(ctx) {
    const { task } = ctx;
    const tool = await findBcpTool();
    if (typeof tool === 'string') throw new BenchError(tool);
    // Also here for callers that skip available() (a task run directly): never copy such a table wrong.
    const problem = nativeFormatProblem(tool, qualified(task.source), task.columns);
    if (problem) throw new BenchError(problem);
    if (!ctx.urls) throw new BenchError('bcp needs the connection URLs (CopyContext.urls), which this caller did not pass');
    const base = join(ctx.workDir, `bcp-${task.id.replace(/[^a-z0-9._-]+/gi, '_')}-${process.hrtime.bigint()}`);
    const pipe = `${base}.pipe`;
    // `out` names the table only when it exports exactly the task's columns, in order; a key range, or a
    // computed column (the target computes its own), needs the SELECT.
    const whole =
      !task.range && task.columns.length === task.source.columns.length && task.columns.every((c, i) => c.name === task.source.columns[i]!.name);
    const out = bcpCommand(tool, parseMssqlUrl(ctx.urls.source), {
      ...(whole ? { direction: 'out', object: tableSql(task.source) } : { direction: 'queryout', object: literalSelectSql(task) }),
      dataFile: pipe,
      configFile: `${base}-source.conf`,
    });
    const into = bcpCommand(tool, parseMssqlUrl(ctx.urls.target), {
      direction: 'in',
      object: tableSql(task.target),
      dataFile: pipe,
      batchSize: ctx.params.batchSize,
      configFile: `${base}-target.conf`,
    });
    try {
      const copied = await copyThroughPipe(out, into, pipe, ctx.signal);
      ctx.progress(copied.rows, 0);
      // Bytes: 0. They cross the pipe between the two tools; bench never sees them.
      return { rows: copied.rows, bytes: 0, note: [toolName(tool), out.note, into.note].filter(Boolean).join('; ') };
    } finally {
      await Promise.all([out, into].flatMap((c) => c.files.map((f) => rm(f.path, { force: true }))));
    }
  },
};

function toolName(tool: BcpTool): string {
  return `${tool.flavor === 'freetds' ? 'FreeTDS freebcp' : 'Microsoft bcp'} ${tool.version}`;
}
