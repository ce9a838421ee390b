import type { FindingKind } from '../shared/finding';
import type { Settings } from '../shared/settings';
import type { TargetSpec } from './targets/target-spec';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { formatProblem, readSettings } from './config';
import { loadConfigFile } from './config-file';
import { PRESET_NAMES } from './presets/names';

type Env = Record<string, string | undefined>;

/** A named event whose listeners are streams (PINWATCH_EVENTS). */
export interface EventSpec {
  event: string;
  label: string;
}

/** Everything the preload needs, resolved from the config file and the environment. */
export interface PreloadConfig {
  settings: Settings;
  targets: TargetSpec[];
  presets: string[];
  events: EventSpec[];
  failOn: FindingKind[];
  /** Instrument the host's own worker threads too (PINWATCH_WORKERS). */
  workers: boolean;
}

const KINDS: readonly FindingKind[] = ['leak', 'slow', 'held', 'growing', 'pin-limit', 'shared'];
const LABEL_PATTERN = /^[\w.:/-]{1,64}$/;
const ON_VALUES = ['1', 'true', 'on', 'yes'];
const OFF_VALUES = ['0', 'false', 'off', 'no'];

/**
 * Resolves the preload's configuration. Precedence: code (start()) > environment > config
 * file > defaults. Every bad value is one line in `problems`; `config` is null only when
 * PINWATCH_CONFIG names a file that cannot be used, and the agent then stays off.
 */
export function readPreloadConfig(env: Env): {
  config: PreloadConfig | null;
  problems: string[];
} {
  const problems: string[] = [];
  const base: Settings = {
    ...DEFAULT_SETTINGS,
    ignoreSitePaths: [...DEFAULT_SETTINGS.ignoreSitePaths],
  };
  const configPath = (env.PINWATCH_CONFIG ?? '').trim();
  let file = null;
  if (configPath !== '') {
    const loaded = loadConfigFile(configPath, base);
    problems.push(...loaded.problems);
    if (loaded.file === null) return { config: null, problems };
    file = loaded.file;
  }
  const { settings, problems: envProblems } = readSettings(env, base);
  problems.push(...envProblems.map(formatProblem));

  const presets = readList('PINWATCH_PRESETS', env, file?.presets, problems, (name) =>
    PRESET_NAMES.includes(name) ? name : null,
  );
  const failOn = readList('PINWATCH_FAIL_ON', env, file?.failOn, problems, (name) => {
    const kind = name.toLowerCase();
    return KINDS.includes(kind as FindingKind) ? (kind as FindingKind) : null;
  });
  const events = readList('PINWATCH_EVENTS', env, file?.events, problems, parseEvent);
  const workers = readBoolean('PINWATCH_WORKERS', env, file?.workers, problems);
  const targets = file?.targets ?? [];
  return {
    config: { settings, targets, presets: unique(presets), events, failOn, workers },
    problems,
  };
}

const ACCEPTED: Record<string, string> = {
  PINWATCH_PRESETS: `preset names (${PRESET_NAMES.join(', ')})`,
  PINWATCH_FAIL_ON: `finding kinds (${KINDS.join(', ')})`,
  PINWATCH_EVENTS: 'event names with an optional label, like finalized:finality,block:import',
};

/**
 * A comma list from the environment, else from the file (a string or an array of strings).
 * Entries `parse` rejects are said, one line for the variable, and left out.
 */
function readList<T>(
  name: string,
  env: Env,
  fromFile: unknown,
  problems: string[],
  parse: (entry: string) => T | null,
): T[] {
  const raw = env[name]?.trim() ? env[name] : fromFile;
  if (raw === undefined) return [];
  const entries =
    typeof raw === 'string'
      ? raw.split(',')
      : Array.isArray(raw) && raw.every((entry) => typeof entry === 'string')
        ? (raw as string[])
        : null;
  if (entries === null) {
    problems.push(`invalid ${name} in the config file: expected a list of ${ACCEPTED[name]}`);
    return [];
  }
  const values: T[] = [];
  const rejected: string[] = [];
  for (const entry of entries.map((part) => part.trim()).filter((part) => part !== '')) {
    const value = parse(entry);
    if (value === null) rejected.push(entry);
    else values.push(value);
  }
  if (rejected.length > 0) {
    problems.push(
      `invalid ${name}=${JSON.stringify(rejected.join(','))}: expected ${ACCEPTED[name]}; ` +
        `ignoring ${rejected.length === 1 ? 'it' : 'them'}`,
    );
  }
  return values;
}

/** `event` or `event:label`; the label defaults to the event's name. */
function parseEvent(entry: string): EventSpec | null {
  const at = entry.lastIndexOf(':');
  const event = at > 0 ? entry.slice(0, at) : entry;
  const label = at > 0 ? entry.slice(at + 1) : entry;
  if (event === '' || !LABEL_PATTERN.test(label)) return null;
  return { event, label };
}

function readBoolean(name: string, env: Env, fromFile: unknown, problems: string[]): boolean {
  const raw = env[name]?.trim() ? env[name] : fromFile;
  if (raw === undefined || typeof raw === 'boolean') return raw === true;
  const value = String(raw).trim().toLowerCase();
  if (ON_VALUES.includes(value)) return true;
  if (OFF_VALUES.includes(value)) return false;
  const accepted = `one of ${ON_VALUES.join(', ')} or ${OFF_VALUES.join(', ')}`;
  problems.push(`invalid ${name}=${JSON.stringify(String(raw))}: expected ${accepted}; using off`);
  return false;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
