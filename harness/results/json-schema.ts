import { z } from 'zod';
import { resultsSchema } from './schema.js';
import { RESULTS_FORMAT, RESULTS_VERSION } from './results-file.js';

/**
 * results.json as a JSON Schema (draft 2020-12), for readers that are not bench: docs/results.schema.json
 * is this, written by `npm run schema:results`, and a unit test keeps the two equal. It states what a
 * reader may rely on; objects allow more fields than it lists (every trial's metrics, the environment…).
 */
export function resultsJsonSchema(): Record<string, unknown> {
  // io 'input': what a file may hold when read (fields with defaults are optional), not bench's parsed view.
  const schema = z.toJSONSchema(resultsSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: `${RESULTS_FORMAT} version ${RESULTS_VERSION}`,
    description:
      'The results file bench sweep, quick and run --json write (results.json). `trials` is the raw truth; `points` and `claims` are derived from it for other readers: the statistics and verdicts the report shows.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
