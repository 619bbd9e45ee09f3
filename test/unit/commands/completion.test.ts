import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../harness/main.js';
import { completionScript, describeProgram } from '../../../harness/commands/completion.js';

/** The completion script, sourced in a real bash and asked what it completes (COMP_WORDS as bash sets them). */
describe('bench completion', () => {
  const tree = describeProgram(buildProgram(async () => {}));

  async function complete(shell: 'bash' | 'zsh', words: string[]): Promise<string[]> {
    const script = completionScript(shell, tree);
    const r = await execa('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _bench_complete; printf '%s\\n' "\${COMPREPLY[@]}"`]);
    return r.stdout.split('\n').filter(Boolean);
  }

  it('completes commands, each command\'s own options, subcommands and option values', async () => {
    expect(await complete('bash', ['bench', 'sw'])).toEqual(['sweep']);
    expect(await complete('bash', ['bench', 'status', '--'])).toEqual(['--provider', '--state-dir', '--json', '--help']);
    expect(await complete('bash', ['bench', 'sweep', '--export-'])).toEqual(['--export-csv', '--export-markdown']);
    expect(await complete('bash', ['bench', 'profile', ''])).toEqual(['list', 'export']);
    expect(await complete('bash', ['bench', 'profile', 'export', '--f'])).toEqual(['--format']);
    expect(await complete('bash', ['bench', 'profile', 'export', '--format', 'p'])).toEqual(['postgresql-conf']);
    expect(await complete('bash', ['bench', 'sweep', '-s', 'native-bulk', '--peers', 'p'])).toEqual(['psql-pipe', 'pg-dump-restore', 'pgcopydb']);
    expect(await complete('bash', ['bench', 'completion', ''])).toEqual(['bash', 'zsh']);
  });

  it('registers for both executables; zsh loads bashcompinit first', () => {
    expect(completionScript('bash', tree)).toMatch(/^complete -o default -F _bench_complete bench db-copy-bench$/m);
    expect(completionScript('zsh', tree)).toMatch(/^autoload -U \+X bashcompinit && bashcompinit$/m);
  });
});
