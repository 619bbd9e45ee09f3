import { qualified, type Table } from '../model/catalog.js';

/**
 * Foreign-key dependency levels: level 0 holds tables that reference nothing (inside the copy set),
 * level n tables reference only lower levels. With constraints created before the load, tables must be
 * loaded level by level (the seeds' four levels: types → users → posts/badges → votes/comments/links).
 * Self-references are ignored; a cycle puts its tables in one last level and is reported. A foreign key
 * to a partitioned table (which bench copies through its leaves) references every leaf below it.
 */
export function foreignKeyLevels(tables: readonly Table[]): { levels: Table[][]; cycle: Table[] } {
  const byName = new Map(tables.map((t) => [qualified(t), t]));
  const leaves = new Map<string, string[]>();
  for (const t of tables) {
    for (const above of t.partitionOf ?? []) leaves.set(qualified(above), [...(leaves.get(qualified(above)) ?? []), qualified(t)]);
  }
  const deps = new Map<string, Set<string>>();
  for (const t of tables) {
    const own = qualified(t);
    const refs = new Set<string>();
    for (const fk of t.foreignKeys) {
      const ref = qualified(fk.references);
      for (const r of byName.has(ref) ? [ref] : (leaves.get(ref) ?? [])) if (r !== own) refs.add(r);
    }
    deps.set(own, refs);
  }
  const levels: Table[][] = [];
  const placed = new Set<string>();
  while (placed.size < tables.length) {
    const level = tables.filter(
      (t) => !placed.has(qualified(t)) && [...deps.get(qualified(t))!].every((d) => placed.has(d)),
    );
    if (level.length === 0) break;
    for (const t of level) placed.add(qualified(t));
    levels.push(level);
  }
  const cycle = tables.filter((t) => !placed.has(qualified(t)));
  if (cycle.length > 0) levels.push(cycle);
  return { levels, cycle };
}

/** Level number per table name, for tagging copy tasks. */
export function levelOf(tables: readonly Table[]): Map<string, number> {
  const map = new Map<string, number>();
  foreignKeyLevels(tables).levels.forEach((lvl, i) => lvl.forEach((t) => map.set(qualified(t), i)));
  return map;
}
