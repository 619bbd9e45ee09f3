/**
 * The layout's rules, checked by `npm run check:imports` (dependency-cruiser) in `npm test`:
 * no import cycles, and a trial's steps import only earlier steps and the shared floors, never a later
 * step (config → plan → setup → trial → results → analysis → reports). Commands and main wire the steps.
 */
const steps = ['config', 'plan', 'setup', 'trial', 'results', 'analysis'];
const floors = '^harness/(base|model|engines|metrics|providers|platform|dataset|peers|tools|workers)/|^strategies/|^profiles/';
const later = (i) => [...steps.slice(i + 1).map((s) => `^harness/${s}/`), '^reports/', '^harness/commands/', '^harness/main\\.ts$'];
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'import cycles hide the flow', from: {}, to: { circular: true } },
    ...steps.map((s, i) => ({
      name: `${s}-imports-later-step`,
      severity: 'error',
      comment: `harness/${s}/ must not reach into a later step of the flow`,
      from: { path: `^harness/${s}/` },
      to: { path: later(i) },
    })),
    {
      name: 'reports-only-render',
      severity: 'error',
      comment: 'reports/ renders results and analysis; it never runs trials, commands or setup',
      from: { path: '^reports/' },
      to: { path: ['^harness/(commands|setup|trial|plan|config)/', '^harness/main\\.ts$'] },
    },
    {
      name: 'floors-import-no-step',
      severity: 'error',
      comment: 'the shared floors (model, base, engines, strategies, peers…) sit below every step',
      from: { path: floors },
      to: { path: ['^harness/(config|plan|setup|trial|results|analysis|commands)/', '^reports/', '^harness/main\\.ts$'] },
    },
    {
      name: 'model-is-the-floor',
      severity: 'error',
      comment: 'model/ and base/ are the vocabulary everything else depends on: they import nothing of ours but each other',
      from: { path: '^harness/(model|base)/' },
      to: { path: '^(harness/(?!model/|base/)|strategies/|reports/|profiles/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|node_modules|test)/' },
  },
};
