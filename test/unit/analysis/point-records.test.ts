import { describe, expect, it } from 'vitest';
import { analyzeTrials } from '../../../harness/analysis/sweep-analysis.js';
import { pointRecords, withPointRecords } from '../../../harness/analysis/point-records.js';
import { parseResults } from '../../../harness/results/schema.js';
import { pointsCsv, pointsMarkdown } from '../../../reports/exports.js';
import { failedTrial, resultsFileOf, skippedTrial, trialsTaking } from '../../support/results.js';

/** results.json's `points` and `claims`, and the CSV and markdown exports rendered from them (issue 15). */
const trials = [
  ...trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, [1.0, 1.02, 0.98]),
  ...trialsTaking({ strategy: 'pipeline', parallelism: 2 }, [2.0, 2.05, 1.95]),
  ...trialsTaking({ strategy: 'direct-stream', parallelism: 2 }, [1.01, 0.99, 1.03]),
  failedTrial({ strategy: 'chunked', parallelism: 2 }, 'copy: boom, "quoted"'),
  skippedTrial({ strategy: 'bcp', parallelism: 2 }, 'bcp copies SQL Server to SQL Server only'),
  ...trialsTaking('psql-pipe', [1.5, 1.6, 1.4]),
];

describe('point records', () => {
  const analysis = analyzeTrials(trials);
  const records = pointRecords(analysis);
  const byPoint = new Map(records.map((r) => [r.point, r]));

  it('carry the statistics the report shows, per point', () => {
    const best = byPoint.get('native-bulk/p2')!;
    expect(best).toMatchObject({ kind: 'strategy', contender: 'native-bulk', parallelism: 2, partitions: 1, n: 3, trials: { ok: 3, failed: 0, skipped: 0 }, noisy: false });
    expect(best.seconds!.median).toBe(1.0);
    expect(best.rowsPerSecond!.median).toBe(10_000);
    expect(best.cv).toBeCloseTo(analysis.best!.stats!.cv!, 12);
    expect(best.rme).toBeCloseTo(analysis.best!.stats!.rme!, 12);
    expect(byPoint.get('chunked/p2')).toMatchObject({ n: 0, seconds: null, cv: null, verdict: 'failed', rank: null, errors: ['copy: copy: boom, "quoted"'] });
    expect(byPoint.get('bcp/p2')).toMatchObject({ verdict: 'skipped', skippedReason: 'bcp copies SQL Server to SQL Server only' });
  });

  it('state each point\'s standing only as far as the test supports it', () => {
    // native-bulk and direct-stream are within the noise of each other: no fastest, only a best median.
    expect(byPoint.get('native-bulk/p2')).toMatchObject({ rank: 1, verdict: 'best median, within the noise', versusBest: null });
    expect(byPoint.get('direct-stream/p2')).toMatchObject({ rank: 2, verdict: 'within the noise of the best' });
    expect(byPoint.get('pipeline/p2')).toMatchObject({ rank: 3, verdict: 'slower than the best' });
    expect(byPoint.get('pipeline/p2')!.versusBest).toMatchObject({ significant: true });
    expect(byPoint.get('pipeline/p2')!.versusBest!.ratio).toBeGreaterThan(1.9);
    expect(byPoint.get('psql-pipe/p2')).toMatchObject({ kind: 'peer', rank: null, verdict: 'slower than the best' });
  });

  it('are written with the claims, and the results file still validates', () => {
    const results = withPointRecords(resultsFileOf(trials));
    expect(results.claims).toMatchObject({ best: { point: 'native-bulk/p2', established: false, runnerUp: 'direct-stream/p2' }, limitFaults: [] });
    expect(results.claims!.ordering).toMatchObject({ expected: ['direct-stream', 'pipeline', 'native-bulk'] });
    const read = parseResults(JSON.parse(JSON.stringify(results)), 'results.json');
    expect(read.points).toEqual(results.points);
    // A file without them (before issue 15) still reads.
    expect(parseResults(JSON.parse(JSON.stringify(resultsFileOf(trials))), 'old.json').points).toBeUndefined();
    expect(() => parseResults({ ...JSON.parse(JSON.stringify(results)), points: [{ point: 'x' }] }, 'bad.json')).toThrow(/bad\.json is not a valid bench results file: .* at points\.0\./);
  });
});

describe('--export-csv and --export-markdown', () => {
  const results = withPointRecords(resultsFileOf(trials));

  it('CSV: a header and one row per point, quoted by RFC 4180', () => {
    const lines = pointsCsv(results.points!).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'point,kind,contender,parallelism,partitions,batch_size,n,ok,failed,skipped,median_s,mean_s,sd_s,min_s,max_s,median_rows_per_s,min_rows_per_s,max_rows_per_s,cv,rme_percent,noisy,concurrency_planned,concurrency_reached,rank,verdict,versus_best_ratio,versus_best_p,diagnosis',
    );
    expect(lines).toHaveLength(1 + results.points!.length);
    expect(lines[1]).toMatch(/^native-bulk\/p2,strategy,native-bulk,2,1,5000,3,3,0,0,1,1,0\.02\d*,0\.98,1\.02,10000,/);
    expect(lines.find((l) => l.startsWith('chunked/p2'))).toContain(',failed,');
    // A value with a comma is quoted, a field of a missing statistic empty.
    expect(lines.find((l) => l.startsWith('direct-stream/p2'))).toContain(',within the noise of the best,');
    expect(lines.find((l) => l.startsWith('chunked/p2'))).toMatch(/,0,0,1,0,,,,,,/);
    expect(lines.find((l) => l.startsWith('native-bulk/p2'))).toContain(',"best median, within the noise",');
  });

  it('markdown: the best-point sentence and a table of every point', () => {
    const md = pointsMarkdown(results, results.points!);
    expect(md).toMatch(/^bench sweep, 2025-01-01T00:00:00.000Z, testhost: Best median: `native-bulk\/p2`, within the noise of `direct-stream\/p2` \(p = /);
    expect(md).toContain('| point | n | median rows/s | median s | min–max s | CV | rme | copies | verdict |');
    expect(md).toMatch(/\| pipeline\/p2 \| 3\/3 \| 5,000 \| 2\.00 \| 1\.95–2\.05 \| 2\.5% \| ±6\.2% \| — \| slower than the best \(p = /);
    expect(md).toContain('| chunked/p2 | 0/1 | — | — | — | — | — | — | failed |');
  });
});
