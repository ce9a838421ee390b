import type { Settings } from '../shared/settings';
import type { Snapshot } from '../shared/snapshot';
import { currentAgent, forgetAgent, requestAgent, runningAgent } from './state';

export { track, untrack } from './track';
export type { TrackOptions } from './options';
export type { Settings } from '../shared/settings';
export type { Snapshot } from '../shared/snapshot';
export type { Finding, FindingKind } from '../shared/finding';
export * from './hub';

/** Turns tracking on from code, whatever PINWATCH says; settings win over the environment. */
export function start(settings: Partial<Settings> = {}): void {
  requestAgent(settings);
}

/** True when tracking is on (PINWATCH or start()) and the agent has not failed. */
export function isEnabled(): boolean {
  return currentAgent() !== null;
}

/**
 * The worker's current view: every stream with its counts and site, the findings as the
 * next scan would make them, per-label totals, pins and anomalies. Null when off.
 */
export async function snapshot(): Promise<Snapshot | null> {
  const agent = runningAgent();
  return agent === null ? null : agent.snapshot();
}

/** Hands over buffered records and has the worker scan and report now. */
export async function flush(): Promise<void> {
  await runningAgent()?.flush();
}

/** Changes settings of the running agent (thresholds, interval, log level, report file). */
export async function configure(changes: Partial<Settings>): Promise<void> {
  await runningAgent()?.configure(changes);
}

/** Stops the agent and its worker; tracked sources become pass-throughs. */
export async function stop(): Promise<void> {
  const agent = runningAgent();
  forgetAgent();
  await agent?.close();
}
