import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BcpCommand } from '../../../harness/tools/bcp.js';
import { copyThroughPipe } from '../../../harness/tools/bcp-run.js';

/**
 * The pipe plumbing with a stand-in for bcp (a shell script with the same argument order: object,
 * direction, data file), so failures and aborts can be forced: no SQL Server involved.
 */
const dir = mkdtempSync(join(tmpdir(), 'bench-bcp-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PASSWORD = 'pa ss;word';
const tool = join(dir, 'fakebcp');
writeFileSync(
  tool,
  `#!/bin/sh
direction="$2"; file="$3"
echo $$ > "$FAKE_DIR/$direction.pid"
# Detached: the tool leads its own process group, like the peers' tools.
[ "$(ps -o pgid= -p $$ | tr -d ' ')" = "$$" ] || { echo "not a process group leader"; exit 3; }
if [ "$direction" = in ]; then
  read -r pw
  [ "$pw" = "$FAKE_PASSWORD" ] || { printf 'Msg 18456, Level 14, State 1\\n\\tLogin failed\\n'; exit 1; }
fi
case "$FAKE_MODE:$direction" in
  in-fails:in) printf 'Msg 4815, Level 16, State 1\\n\\tInvalid column length from the bcp client (login used %s)\\n' "$pw"; exit 1 ;;
  # The reader is by then blocked opening the pipe in a subshell that holds our stdout: stopping only the
  # tool's pid would leave that subshell, and the run, hanging.
  out-fails:out) sleep 0.5; printf "Msg 208, Level 16, State 1\\nServer 'x', Line 1\\n\\tInvalid object name 'dbo.nope'.\\n"; exit 1 ;;
  hang:*) exec sleep 30 ;;
esac
case "$direction" in
  out) seq 1 1000 > "$file"; if [ "$FAKE_MODE" = mismatch ]; then echo "999 rows copied."; else echo "1000 rows copied."; fi ;;
  in) n=$(wc -l < "$file"); printf '\\nStarting copy...\\n\\n%s rows copied.\\n' "$n" ;;
esac
`,
);
chmodSync(tool, 0o755);

function commands(mode: string, case_: string): { out: BcpCommand; into: BcpCommand; pipe: string } {
  const pipe = join(dir, `${case_}.pipe`);
  const env = { FAKE_MODE: mode, FAKE_DIR: dir, FAKE_PASSWORD: PASSWORD };
  const base = { file: tool, env, unsetEnv: [], secrets: [PASSWORD] };
  return {
    pipe,
    out: { ...base, args: ['[dbo].[t]', 'out', pipe], files: [{ path: join(dir, `${case_}.conf`), text: '[bench]\n' }] },
    into: { ...base, args: ['[dbo].[t]', 'in', pipe], input: `${PASSWORD}\n`, files: [] },
  };
}

const signal = () => new AbortController().signal;

describe('copyThroughPipe', () => {
  it('runs out and in at once through a named pipe; the password reaches in on stdin; files are private', async () => {
    const { out, into, pipe } = commands('ok', 'ok');
    expect(await copyThroughPipe(out, into, pipe, signal())).toEqual({ rows: 1000, outRows: 1000 });
    expect(existsSync(pipe)).toBe(false);
    expect(statSync(join(dir, 'ok.conf')).mode & 0o777).toBe(0o600);
  });

  it('a failing in stops the writer blocked on the pipe and reports the first error, password masked', async () => {
    const { out, into, pipe } = commands('in-fails', 'in-fails');
    const t0 = Date.now();
    const err = await copyThroughPipe(out, into, pipe, signal()).then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).toBe('fakebcp in failed (exit 1): Invalid column length from the bcp client (login used *****) (Msg 4815)');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(existsSync(pipe)).toBe(false);
  });

  it('a failing out stops the reader waiting to open the pipe, helper processes included', async () => {
    const { out, into, pipe } = commands('out-fails', 'out-fails');
    await expect(copyThroughPipe(out, into, pipe, signal())).rejects.toThrow("fakebcp out failed (exit 1): Invalid object name 'dbo.nope'. (Msg 208)");
  });

  it('the two counts must agree', async () => {
    const { out, into, pipe } = commands('mismatch', 'mismatch');
    await expect(copyThroughPipe(out, into, pipe, signal())).rejects.toThrow('fakebcp out wrote 999 rows but fakebcp in loaded 1000');
  });

  it('an abort kills both tools and rethrows its reason', async () => {
    const { out, into, pipe } = commands('hang', 'hang');
    const controller = new AbortController();
    const reason = new Error('interrupted');
    setTimeout(() => controller.abort(reason), 300);
    const t0 = Date.now();
    await expect(copyThroughPipe(out, into, pipe, controller.signal)).rejects.toBe(reason);
    expect(Date.now() - t0).toBeLessThan(10_000);
    for (const side of ['out', 'in']) {
      const pid = Number(readFileSync(join(dir, `${side}.pid`), 'utf8'));
      expect(() => process.kill(pid, 0)).toThrow();
    }
  });
});
