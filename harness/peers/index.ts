import { pgDumpRestore } from './pg-dump-restore.js';
import { pgcopydb } from './pgcopydb.js';
import type { Peer } from './peer.js';
import type { PeerName } from '../model/contender.js';
import { psqlPipe } from './psql-pipe.js';
import { serverCopy } from './server-copy.js';

/** The peers, fastest-in-principle first. */
export const peers = {
  'server-copy': serverCopy,
  'psql-pipe': psqlPipe,
  'pg-dump-restore': pgDumpRestore,
  pgcopydb,
} as const satisfies Record<PeerName, Peer>;

export const peerNames = Object.keys(peers) as PeerName[];

export function isPeerName(name: string): name is PeerName {
  return Object.hasOwn(peers, name);
}

/** Ends what peers keep across the trials of one command (the limit's exported files). */
export async function disposePeers(): Promise<void> {
  for (const peer of Object.values(peers) as Peer[]) await peer.dispose?.().catch(() => undefined);
}
