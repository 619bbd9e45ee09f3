import type { ResultsFile } from '../results/results-file.js';

/**
 * Why two results files may not measure the same thing: another dataset, another kind of machine,
 * another bench or server version. `bench check` compares them anyway (a gate should not refuse the
 * first run after an upgrade) but says so, as Bencher ties a history to one testbed and hyperfine warns
 * about what it cannot control. The host name is not compared: CI runners get a new one every job.
 */
export function comparabilityWarnings(base: ResultsFile, current: ResultsFile): string[] {
  const warnings: string[] = [];
  const tables = (r: ResultsFile) => new Map(r.dataset.tables.map((t) => [t.table, t.rows]));
  const [bt, ct] = [tables(base), tables(current)];
  const onlyBase = [...bt.keys()].filter((t) => !ct.has(t));
  const onlyCurrent = [...ct.keys()].filter((t) => !bt.has(t));
  const rowsDiffer = [...bt].filter(([t, rows]) => ct.has(t) && ct.get(t) !== rows);
  if (onlyBase.length + onlyCurrent.length + rowsDiffer.length > 0) {
    const parts = [
      ...(onlyBase.length ? [`only the baseline has ${list(onlyBase)}`] : []),
      ...(onlyCurrent.length ? [`only the current results have ${list(onlyCurrent)}`] : []),
      ...(rowsDiffer.length ? [`row counts differ for ${list(rowsDiffer.map(([t, rows]) => `${t} (${rows.toLocaleString('en-US')} → ${ct.get(t)!.toLocaleString('en-US')})`))}`] : []),
    ];
    warnings.push(`another dataset: ${parts.join('; ')}; throughput of different data is not comparable (seed both with the same --scale and --seed)`);
  }
  const machine = (r: ResultsFile) => {
    const h = r.environment.host;
    const kind = (r.platform?.classification as { kind?: string } | undefined)?.kind;
    return `${kind ? `${kind}, ` : ''}${h.cpuModel}, ${h.logicalCpus} CPUs, ${h.arch}, ${(h.memoryBytes / 2 ** 30).toFixed(0)} GiB`;
  };
  if (machine(base) !== machine(current)) {
    warnings.push(`another platform: the baseline ran on ${machine(base)}, the current results on ${machine(current)}; numbers from different machines are not comparable (measure the baseline on the same runner type)`);
  }
  if (base.environment.bench.version !== current.environment.bench.version) {
    warnings.push(`another bench version: baseline ${base.environment.bench.version}, current ${current.environment.bench.version}; a change of bench itself can move the numbers`);
  }
  for (const role of ['source', 'target'] as const) {
    const [b, c] = [base.environment.servers[role], current.environment.servers[role]];
    if (b && c && `${b.engine} ${b.version}` !== `${c.engine} ${c.version}`) {
      warnings.push(`another ${role} server: ${b.engine} ${b.version} in the baseline, ${c.engine} ${c.version} now`);
    }
  }
  return warnings;
}

function list(items: readonly string[]): string {
  return items.length > 3 ? `${items.slice(0, 3).join(', ')} and ${items.length - 3} more` : items.join(', ');
}
