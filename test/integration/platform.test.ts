import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { classifyPlatform, detectPlatform } from '../../harness/platform/detect.js';

/**
 * The real machine. bench's CI runs on a 2-core x86-64 KVM VM (not WSL2, and not a container despite
 * its /.dockerenv); elsewhere only the shape of the answer is checked.
 */
const onCi = process.platform === 'linux' && process.arch === 'x64';

describe('detectPlatform on this machine', () => {
  it('answers quickly with consistent facts', async () => {
    const started = Date.now();
    const info = await detectPlatform({ docker: new Docker(), dataDir: process.cwd() });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(info.cpu.logicalCores).toBeGreaterThan(0);
    expect(info.memory.totalBytes).toBeGreaterThan(0);
    expect(info.docker).toBeDefined(); // reachable or not, it says which
    if (!onCi) return;
    expect(info.os.arch).toBe('amd64');
    expect(info.wsl2).toBe(false);
    expect(info.virtualization.kind).toBe('vm');
    expect(info.container.inContainer).toBe(false);
    expect(info.storage?.mount).toBeTruthy();
    const verdict = classifyPlatform(info);
    if (info.cpu.logicalCores <= 4) expect(verdict).toMatchObject({ kind: 'ci-small', profile: 'ci-small' });
  });
});
