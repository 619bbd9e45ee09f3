import type { Role } from '../harness/model/roles.js';
import { serverSettings, type Profile } from './profile.js';
import { settingNotes, type SettingNote } from './setting-notes.js';

/**
 * A profile's server settings as a postgresql.conf fragment a DBA can apply with `include`, every setting
 * explained: what it does for the load, whether this sweep measured it (varied it, and this value won) or
 * merely ran every trial with it (a bulk-load default, to undo after the load, with the value to go
 * back to), and what it risks. Settings that trade durability for speed beyond a lost last moment
 * (fsync, full_page_writes, wal_level…) are written commented out: never applied by accident.
 */
export interface ConfOptions {
  /** The settings of this role's server (shared + its own); default: the shared ones. */
  readonly role?: Role;
}

/** postgresql.conf quoting: plain numbers stay bare, anything else is single-quoted with '' for '. */
export function confValue(value: string): string {
  return /^-?\d+(\.\d+)?$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

const unknownNote = (name: string): SettingNote => ({
  does: 'set by the profile; bench has no note on this setting (see the PostgreSQL documentation)',
  default: `your server's value before the load (SHOW ${name})`,
});

function settingBlock(name: string, value: string, profile: Profile): string[] {
  const note = settingNotes[name] ?? unknownNote(name);
  const tried = profile.recommendation?.measured[name];
  const restart = note.restart ? '; takes effect at a restart' : '';
  const status = tried
    ? `# measured here: the sweep tried ${tried.join(', ')}, and ${value} won${restart} (PostgreSQL's default: ${note.default}).`
    : `# bulk-load default, ${profile.recommendation ? 'not varied by this sweep' : 'not measured on this machine'}: undo after the load (back to ${note.default})${restart}.`;
  const line = `${name} = ${confValue(value)}`;
  return [
    '',
    `# ${name}: ${note.does}.`,
    status,
    ...(note.risk ? [`# RISK: ${note.risk.what}.${note.risk.level === 'comment' ? ' NOT applied: uncomment the line below only if you accept that.' : ''}`] : []),
    note.risk?.level === 'comment' ? `# ${line}` : line,
  ];
}

function header(profile: Profile, role: Role | undefined, names: readonly string[]): string[] {
  const r = profile.recommendation;
  const whose = role ? `the ${role} server's settings` : 'the settings both servers share';
  const lines = r
    ? [
        `# bench: ${whose} of ${r.winner ? "the sweep's winner" : 'the point'} ${r.point}${r.winner ? '' : ' of a sweep (chosen with --point, not the winner)'} (${Math.round(r.rowsPerSecond).toLocaleString('en-US')} rows/s, median of ${r.trials} trial${r.trials === 1 ? '' : 's'} on ${r.host}, ${r.measuredAt}).`,
        ...(r.established || !r.winner ? [] : ['# The winner was not faster than the runner-up beyond the noise: either is as good a choice on this evidence.']),
      ]
    : [`# bench profile ${profile.name}: ${whose}. A built-in starting point, not a measurement of this machine: \`bench quick\` or \`bench sweep\`, then \`bench profile export results.json\`.`];
  const restart = names.filter((n) => settingNotes[n]?.restart && !settingNotes[n]?.risk);
  return [
    ...lines,
    '# Apply: save this file next to postgresql.conf (say as bench-load.conf), add the line',
    "#   include 'bench-load.conf'",
    `# at the end of postgresql.conf, then ${restart.length > 0 ? `restart the server (${restart.join(', ')} need${restart.length === 1 ? 's' : ''} it)` : 'reload it (SELECT pg_reload_conf())'}.`,
    '# Undo after the load: remove that line and restart (or reload); if autovacuum was off, run ANALYZE on the loaded tables.',
  ];
}

export function postgresqlConf(profile: Profile, options: ConfOptions = {}): string {
  const settings = options.role ? serverSettings(profile, options.role) : profile.server.both;
  const names = Object.keys(settings).sort();
  const risky = names.filter((n) => settingNotes[n]?.risk?.level === 'comment');
  const out = [...header(profile, options.role, names), ...names.flatMap((n) => settingBlock(n, settings[n]!, profile))];
  if (risky.length > 0) out.push('', `# Not applied (risk above): ${risky.join(', ')}.`);
  if (!options.role) {
    for (const role of ['source', 'target'] as const) {
      const own = Object.keys(profile.server[role]).sort();
      if (own.length > 0) {
        out.push('', `# ${role} server only (export with --role ${role} to include them): ${own.map((n) => `${n} = ${confValue(profile.server[role][n]!)}`).join(', ')}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** Settings the export leaves commented out, for the command to say so. */
export function unappliedSettings(profile: Profile, options: ConfOptions = {}): string[] {
  const settings = options.role ? serverSettings(profile, options.role) : profile.server.both;
  return Object.keys(settings).filter((n) => settingNotes[n]?.risk?.level === 'comment').sort();
}
