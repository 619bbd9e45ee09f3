import { describe, expect, it } from 'vitest';
import type { SchemaStep } from '../../../harness/model/target-schema.js';
import { applySchemaSteps } from '../../../harness/trial/constraints.js';

const step = (id: string, table: string | undefined, after: string[] = []): SchemaStep => ({
  id,
  label: `step ${id}`,
  ...(table ? { table: { schema: 's', name: table } } : {}),
  after,
  afterLoad: false,
});

/** A schema whose steps take `ms` each and record when they ran. */
function recorder(ms = 10, fail?: string) {
  const events: string[] = [];
  let running = 0;
  let peak = 0;
  return {
    events,
    peak: () => peak,
    schema: {
      async apply(s: SchemaStep) {
        running += 1;
        peak = Math.max(peak, running);
        events.push(`start ${s.id}`);
        await new Promise((r) => setTimeout(r, ms));
        running -= 1;
        events.push(`end ${s.id}`);
        if (s.id === fail) throw new Error('relation does not exist');
      },
    },
  };
}

const options = (parallelism: number) => ({ parallelism, signal: new AbortController().signal });

describe('schema steps around the load', () => {
  it("runs a table's steps one at a time in plan order, different tables in parallel", async () => {
    const r = recorder();
    await applySchemaSteps(r.schema, [step('a1', 'a'), step('a2', 'a'), step('b1', 'b'), step('b2', 'b')], options(4));
    expect(r.peak()).toBe(2);
    for (const t of ['a', 'b']) expect(r.events.indexOf(`end ${t}1`)).toBeLessThan(r.events.indexOf(`start ${t}2`));
  });

  it('starts a step only once the steps it waits for have finished, and never more than the parallelism at once', async () => {
    const r = recorder();
    // A foreign key of c waits for a's and b's keys; the sequence step belongs to no table.
    const steps = [step('pk a', 'a'), step('pk b', 'b'), step('fk c', 'c', ['pk a', 'pk b']), step('seq', undefined)];
    await applySchemaSteps(r.schema, steps, options(2));
    expect(r.peak()).toBe(2);
    const start = r.events.indexOf('start fk c');
    expect(start).toBeGreaterThan(r.events.indexOf('end pk a'));
    expect(start).toBeGreaterThan(r.events.indexOf('end pk b'));
  });

  it('takes a dependency it does not run as done (a step run before the load)', async () => {
    const r = recorder();
    await applySchemaSteps(r.schema, [step('trigger', 'a', ['pk a'])], options(1));
    expect(r.events).toEqual(['start trigger', 'end trigger']);
  });

  it('stops starting steps at the first failure and names the step, once the running ones have finished', async () => {
    const r = recorder(10, 'a1');
    await expect(applySchemaSteps(r.schema, [step('a1', 'a'), step('b1', 'b'), step('a2', 'a'), step('b2', 'b', ['a2'])], options(2))).rejects.toThrow(
      'step a1: relation does not exist',
    );
    expect(r.events).not.toContain('start a2');
    expect(r.events).toContain('end b1');
  });
});
