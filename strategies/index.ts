import { directStream } from './direct-stream.js';
import { nativeBulk } from './native-bulk.js';
import type { Strategy, StrategyName } from './strategy.js';

/** The strategy registry. Order is the order reports list them in (slowest family first, like the seeds). */
export const strategies = {
  'direct-stream': directStream,
  'native-bulk': nativeBulk,
} as const satisfies Record<StrategyName, Strategy>;

export const strategyNames = Object.keys(strategies) as StrategyName[];

export function isStrategyName(name: string): name is StrategyName {
  return Object.hasOwn(strategies, name);
}
