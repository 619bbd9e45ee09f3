/** Who a server is in a copy, and which engine it runs: the words every layer shares. */

export type Role = 'source' | 'target';

export const roles: readonly Role[] = ['source', 'target'];

/** The engines bench can talk to; the name is the key of the engine registry (engines/index.ts). */
export type EngineName = 'postgres' | 'mssql';
