import type { LogLevel, Settings } from '../shared/settings';
import { DEFAULT_SETTINGS, LOG_LEVELS } from '../shared/settings';

/** A problem with one input, said in one line: what, the value, what is accepted. */
export interface ConfigProblem {
  name: string;
  value: string;
  accepted: string;
  fallback: string;
}

export function formatProblem(problem: ConfigProblem): string {
  return (
    `invalid ${problem.name}=${JSON.stringify(problem.value)}: expected ${problem.accepted}; ` +
    `using ${problem.fallback}`
  );
}

type Env = Record<string, string | undefined>;

const ON_VALUES = ['1', 'true', 'on', 'yes'];
const OFF_VALUES = ['', '0', 'false', 'off', 'no'];

/**
 * Whether PINWATCH asks for the agent. Unknown values keep it off and are reported, so a
 * typo never turns an agent on in production.
 */
export function readSwitch(env: Env): { on: boolean; problem: ConfigProblem | null } {
  const raw = env.PINWATCH;
  const value = (raw ?? '').trim().toLowerCase();
  if (ON_VALUES.includes(value)) return { on: true, problem: null };
  if (OFF_VALUES.includes(value)) return { on: false, problem: null };
  return {
    on: false,
    problem: {
      name: 'PINWATCH',
      value: raw ?? '',
      accepted: `one of ${ON_VALUES.join(', ')} (on) or ${OFF_VALUES.slice(1).join(', ')} (off)`,
      fallback: 'off',
    },
  };
}

interface IntegerSpec {
  kind: 'integer';
  key: keyof Settings;
  min: number;
  max: number;
}

interface StringSpec {
  kind: 'string';
  key: keyof Settings;
}

interface ChoiceSpec {
  kind: 'choice';
  key: keyof Settings;
  choices: readonly string[];
}

interface ListSpec {
  kind: 'list';
  key: keyof Settings;
}

export type VariableSpec = IntegerSpec | StringSpec | ChoiceSpec | ListSpec;

const DAY_MS = 86_400_000;

/** Every variable the agent reads, besides PINWATCH itself. The README's table mirrors it. */
export const VARIABLES: Record<string, VariableSpec> = {
  PINWATCH_INTERVAL_MS: { kind: 'integer', key: 'intervalMs', min: 10, max: DAY_MS },
  PINWATCH_SLOW_THRESHOLD: { kind: 'integer', key: 'slowThreshold', min: 1, max: 1e9 },
  PINWATCH_SLOW_AGE_MS: { kind: 'integer', key: 'slowAgeMs', min: 1, max: DAY_MS },
  PINWATCH_HELD_THRESHOLD: { kind: 'integer', key: 'heldThreshold', min: 1, max: 1e9 },
  PINWATCH_HELD_AGE_MS: { kind: 'integer', key: 'heldAgeMs', min: 1, max: DAY_MS },
  PINWATCH_GROWING_SCANS: { kind: 'integer', key: 'growingScans', min: 2, max: 100 },
  PINWATCH_GROWING_MIN: { kind: 'integer', key: 'growingMin', min: 1, max: 1e9 },
  PINWATCH_PIN_LIMIT: { kind: 'integer', key: 'pinLimit', min: 1, max: 1e7 },
  PINWATCH_GC_SETTLE_MS: { kind: 'integer', key: 'gcSettleMs', min: 0, max: 600_000 },
  PINWATCH_CLOSE_GRACE_MS: { kind: 'integer', key: 'closeGraceMs', min: 0, max: 600_000 },
  PINWATCH_GC_SAMPLE: { kind: 'integer', key: 'gcSampleEvery', min: 0, max: 65_535 },
  PINWATCH_STACK_DEPTH: { kind: 'integer', key: 'stackDepth', min: 0, max: 64 },
  PINWATCH_REPORT_FILE: { kind: 'string', key: 'reportFile' },
  PINWATCH_LOG: { kind: 'choice', key: 'logLevel', choices: LOG_LEVELS },
  PINWATCH_IGNORE_SITES: { kind: 'list', key: 'ignoreSitePaths' },
  PINWATCH_METRICS_PORT: { kind: 'integer', key: 'metricsPort', min: 0, max: 65_535 },
  PINWATCH_METRICS_HOST: { kind: 'string', key: 'metricsHost' },
  PINWATCH_METRICS_TOP_STREAMS: { kind: 'integer', key: 'metricsTopStreams', min: 1, max: 1000 },
  PINWATCH_PIN_BUDGET: { kind: 'integer', key: 'pinBudget', min: 0, max: 1e7 },
  PINWATCH_BUDGET_WARN_PERCENT: { kind: 'integer', key: 'budgetWarnPercent', min: 1, max: 100 },
};

/** Builds settings from the environment; every bad value becomes a problem and a default. */
export function readSettings(env: Env, base: Settings = DEFAULT_SETTINGS) {
  const settings: Settings = { ...base, ignoreSitePaths: [...base.ignoreSitePaths] };
  const problems: ConfigProblem[] = [];
  for (const [name, spec] of Object.entries(VARIABLES)) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const problem = applyVariable(settings, name, spec, raw);
    if (problem) problems.push(problem);
  }
  return { settings, problems };
}

/** Applies one raw value to `settings`; a bad value leaves the setting and returns the problem. */
export function applyVariable(
  settings: Settings,
  name: string,
  spec: VariableSpec,
  raw: string,
): ConfigProblem | null {
  const value = raw.trim();
  const target = settings as unknown as Record<string, unknown>;
  const fallback = String(settings[spec.key]);
  switch (spec.kind) {
    case 'integer': {
      const number = /^-?\d+$/.test(value) ? Number(value) : NaN;
      if (Number.isSafeInteger(number) && number >= spec.min && number <= spec.max) {
        target[spec.key] = number;
        return null;
      }
      const accepted = `an integer from ${spec.min} to ${spec.max}`;
      return { name, value: raw, accepted, fallback };
    }
    case 'choice':
      if (spec.choices.includes(value.toLowerCase())) {
        target[spec.key] = value.toLowerCase() as LogLevel;
        return null;
      }
      return { name, value: raw, accepted: `one of ${spec.choices.join(', ')}`, fallback };
    case 'list':
      target[spec.key] = value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
      return null;
    case 'string':
      target[spec.key] = value;
      return null;
  }
}
