import { bcp } from './bcp.js';
import { chunked } from './chunked.js';
import { csvBuffer } from './csv-buffer.js';
import { directStream } from './direct-stream.js';
import { nativeBulk } from './native-bulk.js';
import { pipeline } from './pipeline.js';
import type { Strategy } from './strategy.js';
import type { StrategyName } from '../harness/model/contender.js';

/** The strategy registry, in the seeds' order: baseline first, native bulk last; then bcp (SQL Server only). */
export const strategies = {
  'csv-buffer': csvBuffer,
  'direct-stream': directStream,
  pipeline,
  chunked,
  'native-bulk': nativeBulk,
  bcp,
} as const satisfies Record<StrategyName, Strategy>;

export const strategyNames = Object.keys(strategies) as StrategyName[];

export function isStrategyName(name: string): name is StrategyName {
  return Object.hasOwn(strategies, name);
}
