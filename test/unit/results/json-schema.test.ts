import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../harness/base/paths.js';
import { resultsJsonSchema } from '../../../harness/results/json-schema.js';

describe('docs/results.schema.json', () => {
  it('is the JSON Schema of the results file as bench reads it (regenerate with npm run schema:results)', () => {
    const committed = readFileSync(join(packageRoot, 'docs', 'results.schema.json'), 'utf8');
    expect(committed).toBe(`${JSON.stringify(resultsJsonSchema(), null, 2)}\n`);
  });

  it('documents the per-point statistics', () => {
    const schema = resultsJsonSchema() as { properties: { points: { items: { required: string[]; properties: Record<string, { description?: string }> } } } };
    const point = schema.properties.points.items;
    expect(point.required).toEqual(expect.arrayContaining(['point', 'n', 'seconds', 'rowsPerSecond', 'cv', 'rme', 'noisy', 'concurrency', 'verdict']));
    expect(point.properties.cv!.description).toMatch(/coefficient of variation/);
  });
});
