import type { Settings } from '../shared/settings';
import type { Agent } from './agent';
import { Log } from '../shared/log';
import { formatProblem, readSettings, readSwitch } from './config';
import { warnBadSwitch } from './switch-warning';

/**
 * Process-wide agent state, kept on globalThis so a second copy of pinwatch (CommonJS and
 * ES module builds, or two installs) shares one agent instead of starting another.
 */
interface AgentState {
  /** PINWATCH asked for the agent, or start() was called. */
  requested: boolean;
  /** The environment was read (once per process). */
  envRead: boolean;
  overrides: Partial<Settings>;
  agent: Agent | null;
  /** Starting failed once; tracking stays off rather than retrying on every stream. */
  failed: boolean;
  /** Settings the preload resolved from its config file and the environment (said already). */
  resolved?: Settings;
}

const STATE_KEY = Symbol.for('pinwatch.state');

function state(): AgentState {
  const holder = globalThis as unknown as Record<symbol, AgentState | undefined>;
  let current = holder[STATE_KEY];
  if (current === undefined) {
    current = { requested: false, envRead: false, overrides: {}, agent: null, failed: false };
    holder[STATE_KEY] = current;
  }
  return current;
}

/** Whether tracking is asked for: by PINWATCH, or by start(). */
export function isRequested(): boolean {
  const current = state();
  if (!current.envRead) {
    current.envRead = true;
    const { on } = readSwitch(process.env);
    warnBadSwitch(process.env);
    if (on) current.requested = true;
  }
  return current.requested;
}

/** Asks for the agent from code, with settings that win over the environment. */
export function requestAgent(overrides: Partial<Settings> = {}): void {
  const current = state();
  current.envRead = true;
  current.requested = true;
  current.overrides = { ...current.overrides, ...overrides };
}

/** The running agent, started on first use; null when off or when it could not start. */
export function currentAgent(): Agent | null {
  const current = state();
  if (current.agent !== null) return current.agent.alive ? current.agent : null;
  if (current.failed || !isRequested()) return null;
  const { settings, problems } =
    current.resolved !== undefined
      ? { settings: current.resolved, problems: [] }
      : readSettings(process.env);
  const merged = { ...settings, ...current.overrides };
  const log = new Log('main', merged.logLevel);
  for (const problem of problems) log.warn(formatProblem(problem));
  try {
    // Loaded with the first tracked stream, not at preload: comlink, the worker link and the
    // rest cost tens of milliseconds of start-up that a process tracking nothing never pays.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Agent: AgentClass } = require('./agent') as { Agent: typeof Agent };
    current.agent = new AgentClass(merged);
  } catch (error) {
    current.failed = true;
    log.error('agent could not start, tracking stays off', { error });
    return null;
  }
  return current.agent;
}

/** Asks for the agent from the preload, with settings it has resolved and reported. */
export function requestFromPreload(settings: Settings): void {
  const current = state();
  current.envRead = true;
  current.requested = true;
  current.resolved = settings;
}

/** The preload leaves this thread alone (a host worker thread): PINWATCH does not start it. */
export function declineFromPreload(): void {
  state().envRead = true;
}

/** The agent if it is already running, without starting it. */
export function runningAgent(): Agent | null {
  const agent = state().agent;
  return agent !== null && agent.alive ? agent : null;
}

/** Forgets a stopped agent so that a later start() can begin again. */
export function forgetAgent(): void {
  const current = state();
  current.agent = null;
  current.requested = false;
  current.overrides = {};
  current.failed = false;
}
