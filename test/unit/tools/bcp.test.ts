import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMssqlUrl } from '../../../harness/engines/mssql-url.js';
import { bcpCommand, freetdsConf, locateBcpTool, NO_BCP_TOOL } from '../../../harness/tools/bcp.js';
import { type BcpTool } from '../../../harness/tools/bcp-tool.js';

const freebcp: BcpTool = { flavor: 'freetds', path: '/usr/bin/freebcp', version: '1.3.17', major: 1 };
const bcp18: BcpTool = { flavor: 'microsoft', path: '/opt/mssql-tools18/bin/bcp', version: '18.2.0001.1', major: 18 };
const bcp17: BcpTool = { flavor: 'microsoft', path: '/opt/mssql-tools/bin/bcp', version: '17.10.0001.1', major: 17 };
const url = parseMssqlUrl('mssql://loader:s3cr%20et@db.local:14330/sales?encrypt=false');
const secure = parseMssqlUrl('mssql://loader:pw@db.local/sales');

describe('freebcp commands', () => {
  it('out: native, a private freetds.conf, login on the command line, password on stdin only', () => {
    const c = bcpCommand(freebcp, url, { direction: 'out', object: '[dbo].[big]', dataFile: '/w/p.pipe', configFile: '/w/s.conf' });
    expect(c.file).toBe('/usr/bin/freebcp');
    expect(c.args).toEqual(['[dbo].[big]', 'out', '/w/p.pipe', '-n', '-S', 'bench', '-U', 'loader', '-P', '-', '-D', 'sales', '-T', '2147483647']);
    expect(c.input).toBe('s3cr et\n');
    expect(c.env).toEqual({ FREETDSCONF: '/w/s.conf', TDSVER: '7.4' });
    expect(c.unsetEnv).toEqual(expect.arrayContaining(['TDSPORT', 'TDSHOST', 'DSQUERY']));
    expect(c.files).toEqual([{ path: '/w/s.conf', text: freetdsConf(url) }]);
    expect(JSON.stringify([c.args, c.env, c.files])).not.toContain('s3cr et');
    expect(c.secrets).toEqual(['s3cr et']);
  });

  it('queryout takes the SELECT as the object; in adds batch size, TABLOCK, fail-fast, and -E only for a known IDENTITY', () => {
    const q = bcpCommand(freebcp, url, { direction: 'queryout', object: 'SELECT [a] FROM [dbo].[t]', dataFile: '/w/p', configFile: '/w/c' });
    expect(q.args.slice(0, 3)).toEqual(['SELECT [a] FROM [dbo].[t]', 'queryout', '/w/p']);
    const i = bcpCommand(freebcp, url, { direction: 'in', object: '[dbo].[t]', dataFile: '/w/p', batchSize: 5000, configFile: '/w/c' });
    expect(i.args.slice(14)).toEqual(['-b', '5000', '-h', 'TABLOCK', '-m', '1']);
    const id = bcpCommand(freebcp, url, { direction: 'in', object: '[dbo].[t]', dataFile: '/w/p', identity: true, configFile: '/w/c' });
    expect(id.args).toContain('-E');
  });

  it('refuses a password freebcp cannot read as one line', () => {
    const bad = parseMssqlUrl('mssql://u:a%0Ab@h/db');
    expect(() => bcpCommand(freebcp, bad, { direction: 'out', object: 't', dataFile: 'f', configFile: 'c' })).toThrow(/line break/);
  });

  it('freetds.conf: port or instance, TDS 7.4, encryption and certificate checks from the URL', () => {
    expect(freetdsConf(url)).toBe('[bench]\n\thost = db.local\n\tport = 14330\n\ttds version = 7.4\n\tclient charset = CP1252\n\tencryption = off\n\tcheck certificate hostname = no\n');
    expect(freetdsConf(secure)).toContain('\tencryption = require\n\tca file = system\n\tcheck certificate hostname = yes\n');
    const trusting = parseMssqlUrl('mssql://u:p@h/db?trustServerCertificate=true');
    expect(freetdsConf(trusting)).not.toContain('ca file');
    const named = parseMssqlUrl('mssql://u:p@h/db?instance=SQLEXPRESS');
    expect(freetdsConf(named)).toContain('\tinstance = SQLEXPRESS\n');
    expect(freetdsConf(named)).not.toContain('port');
    expect(() => freetdsConf(parseMssqlUrl('mssql://u:p@h/db?instance=a;b'))).toThrow(/cannot be written/);
  });
});

describe('Microsoft bcp commands', () => {
  it('bcp 18: tcp:host,port, -d, -P in argv (masked in messages), -Y for the encryption mode, -u to trust', () => {
    const c = bcpCommand(bcp18, url, { direction: 'out', object: '[dbo].[big]', dataFile: '/w/p', configFile: '/w/c' });
    expect(c.args).toEqual(['[dbo].[big]', 'out', '/w/p', '-n', '-S', 'tcp:db.local,14330', '-d', 'sales', '-U', 'loader', '-P', 's3cr et', '-Yo']);
    expect(c.files).toEqual([]);
    expect(c.input).toBeUndefined();
    const trusting = bcpCommand(bcp18, parseMssqlUrl('mssql://u:p@h/db?trustServerCertificate=true'), { direction: 'out', object: 't', dataFile: 'f', configFile: 'c' });
    expect(trusting.args.slice(-2)).toEqual(['-Ym', '-u']);
    const strict = bcpCommand(bcp18, parseMssqlUrl('mssql://u:p@h/db?encrypt=strict'), { direction: 'out', object: 't', dataFile: 'f', configFile: 'c' });
    expect(strict.args.at(-1)).toBe('-Ys');
  });

  it('encrypt=strict: freetds.conf says strict; freebcp 1.3 has no strict encryption and is refused', () => {
    const strict = parseMssqlUrl('mssql://u:p@h/db?encrypt=strict');
    expect(freetdsConf(strict)).toContain('\tencryption = strict\n');
    expect(() => bcpCommand(freebcp, strict, { direction: 'out', object: 't', dataFile: 'f', configFile: 'c' })).toThrow(/has no TDS 8 strict encryption/);
  });

  it('in: batch size, fail-fast, KEEPIDENTITY unless the table is known to have no IDENTITY; no -h on Linux', () => {
    const c = bcpCommand(bcp18, url, { direction: 'in', object: '[dbo].[t]', dataFile: '/w/p', batchSize: 5000, configFile: '/w/c' });
    expect(c.args.slice(13)).toEqual(['-b', '5000', '-m', '1', '-E']);
    expect(c.args).not.toContain('-h');
    const plain = bcpCommand(bcp18, url, { direction: 'in', object: '[dbo].[t]', dataFile: '/w/p', identity: false, configFile: '/w/c' });
    expect(plain.args).not.toContain('-E');
  });

  it('bcp 17 has no -Y or -u: an encrypted URL is refused rather than copied in plaintext (issue 17)', () => {
    expect(() => bcpCommand(bcp17, secure, { direction: 'out', object: 't', dataFile: 'f', configFile: 'c' })).toThrow(
      /Microsoft bcp 17\.\S* cannot request encryption on the command line \(bcp 18 adds -Y\): install bcp 18, or allow plaintext with \?encrypt=false/,
    );
    const named = bcpCommand(bcp17, parseMssqlUrl('mssql://u:p@h/db?instance=SQLEXPRESS&encrypt=false'), { direction: 'out', object: 't', dataFile: 'f', configFile: 'c' });
    expect(named.args[named.args.indexOf('-S') + 1]).toBe('h\\SQLEXPRESS');
    expect(named.note).toBeUndefined();
  });
});

describe('locateBcpTool', () => {
  const root = mkdtempSync(join(tmpdir(), 'bench-bcp-locate-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const script = (dir: string, name: string, body: string) => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const sybase = join(root, 'sybase');
  const ms = join(root, 'opt-mssql');
  const freetds = join(root, 'freetds');
  script(sybase, 'bcp', 'echo "Sybase bcp/16.0"');
  script(ms, 'bcp', 'printf "BCP - Bulk Copy Program for Microsoft SQL Server.\\nCopyright (C) Microsoft Corporation. All Rights Reserved.\\nVersion: 18.2.0001.1\\n"');
  script(freetds, 'freebcp', '[ "$6" = "-v" ] && [ $# -eq 6 ] && echo "freebcp version freetds v1.3.17"; exit 1');

  it("prefers Microsoft's bcp, found in its install directory, over freebcp; skips a bcp that is not Microsoft's", async () => {
    const tool = await locateBcpTool({ path: [sybase, freetds].join(':'), microsoftDirs: [ms] });
    expect(tool).toEqual({ flavor: 'microsoft', path: join(ms, 'bcp'), version: '18.2.0001.1', major: 18 });
  });

  it('falls back to freebcp and reads its version without connecting', async () => {
    expect(await locateBcpTool({ path: [sybase, freetds].join(':'), microsoftDirs: [] })).toEqual({
      flavor: 'freetds',
      path: join(freetds, 'freebcp'),
      version: '1.3.17',
      major: 1,
    });
  });

  it('says how to install one when there is none', async () => {
    expect(await locateBcpTool({ path: sybase, microsoftDirs: [join(root, 'missing')] })).toBe(NO_BCP_TOOL);
  });
});
