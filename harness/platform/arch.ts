/**
 * Node (`x64`), `uname -m` (`x86_64`, `aarch64`) and Docker (`amd64`, `arm64`) spell architectures
 * differently. Everything in bench compares them in Docker's words.
 */
export function normalizeArch(arch: string): string {
  const a = arch.toLowerCase();
  const map: Record<string, string> = {
    x86_64: 'amd64',
    x64: 'amd64',
    amd64: 'amd64',
    aarch64: 'arm64',
    arm64: 'arm64',
    armv7l: 'arm',
    arm: 'arm',
  };
  return map[a] ?? a;
}
