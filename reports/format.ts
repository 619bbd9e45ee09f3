/** Number formatting shared by the terminal and markdown reports. */
export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  secs: (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1)),
  rate: (n: number) => Math.round(n).toLocaleString('en-US'),
  mb: (bytes: number) => (bytes / 1e6).toFixed(1),
  mbps: (n: number) => n.toFixed(1),
  pct: (n: number) => `${(n * 100).toFixed(0)}%`,
  bytesHuman(bytes: number): string {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let v = bytes;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return `${v.toFixed(v >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
  },
};
