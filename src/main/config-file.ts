import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Settings } from '../shared/settings';
import type { TargetSpec } from './targets/target-spec';
import { applyVariable, VARIABLES } from './config';
import { parseTarget } from './targets/target-spec';

/** What a PINWATCH_CONFIG file may hold; every field is optional. */
export interface ConfigFile {
  /** Raw values of preload lists, as strings or arrays, checked with the variables. */
  presets?: unknown;
  events?: unknown;
  failOn?: unknown;
  workers?: unknown;
  targets: TargetSpec[];
}

const FILE_FIELDS = ['settings', 'targets', 'presets', 'events', 'failOn', 'workers'];

/**
 * Reads the JSON config file at `path`. Settings in it are applied onto `settings` (the
 * environment is applied after, and wins). Returns null, with the reason, when the file
 * cannot be used at all: the agent then stays off. Bad fields are problems and are skipped.
 */
export function loadConfigFile(
  path: string,
  settings: Settings,
): { file: ConfigFile | null; problems: string[] } {
  const problems: string[] = [];
  const absolute = resolve(path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const expected = 'a readable JSON file';
    return { file: null, problems: [unusable(path, `${reason}; expected ${expected}`)] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { file: null, problems: [unusable(path, 'it does not hold a JSON object')] };
  }
  const fields = raw as Record<string, unknown>;
  for (const name of Object.keys(fields)) {
    if (!FILE_FIELDS.includes(name)) {
      problems.push(`${path}: unknown field ${name}, ignored; expected ${FILE_FIELDS.join(', ')}`);
    }
  }
  applyFileSettings(fields.settings, settings, path, problems);
  const targets = readTargets(fields.targets, dirname(absolute), path, problems);
  const { presets, events, failOn, workers } = fields;
  return { file: { presets, events, failOn, workers, targets }, problems };
}

function unusable(path: string, reason: string): string {
  return `PINWATCH_CONFIG=${JSON.stringify(path)} cannot be used: ${reason}; tracking stays off`;
}

const SETTING_SPECS = new Map(Object.values(VARIABLES).map((spec) => [spec.key, spec]));

function applyFileSettings(
  raw: unknown,
  settings: Settings,
  path: string,
  problems: string[],
): void {
  if (raw === undefined) return;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${path}: settings must be an object of setting names and values, ignored`);
    return;
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const spec = SETTING_SPECS.get(key as keyof Settings);
    if (spec === undefined) {
      const known = [...SETTING_SPECS.keys()].join(', ');
      problems.push(`${path}: unknown setting ${key}, ignored; expected one of ${known}`);
      continue;
    }
    const text = Array.isArray(value) ? value.join(',') : String(value);
    const problem = applyVariable(settings, `${path} settings.${key}`, spec, text);
    if (problem !== null) {
      problems.push(
        `invalid ${problem.name}=${JSON.stringify(value)}: expected ${problem.accepted}; ` +
          `using ${problem.fallback}`,
      );
    }
  }
}

function readTargets(raw: unknown, baseDir: string, path: string, problems: string[]) {
  const targets: TargetSpec[] = [];
  if (raw === undefined) return targets;
  if (!Array.isArray(raw)) {
    problems.push(`${path}: targets must be an array of target objects, ignored`);
    return targets;
  }
  raw.forEach((entry, index) => {
    const target = parseTarget(entry, `${path} targets[${index}]`, baseDir);
    if (typeof target === 'string') problems.push(`${target}; this target is skipped`);
    else targets.push(target);
  });
  return targets;
}
