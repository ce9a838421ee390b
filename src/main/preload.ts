import { isMainThread } from 'node:worker_threads';
import { Log, writeStderr } from '../shared/log';
import { installEventHooks } from './event-hooks';
import { installExitHooks } from './exit-hooks';
import { readPreloadConfig } from './preload-config';
import { presetTargets } from './presets';
import { declineFromPreload, requestFromPreload } from './state';
import { installModuleHooks } from './targets/module-hooks';

type Env = Record<string, string | undefined>;

const INSTALLED = Symbol.for('pinwatch.preload');
const ON_VALUES = ['1', 'true', 'on', 'yes'];

/**
 * What the preload does once PINWATCH is on: resolve the configuration, ask for the agent
 * (it starts with the first tracked stream), make the final report happen at exit, and
 * hook the targets, presets and events. Runs once per thread, whatever copy of pinwatch
 * loads it; the host's own worker threads are left alone unless PINWATCH_WORKERS is on.
 * It never throws into the host.
 */
export function install(env: Env): void {
  const holder = globalThis as unknown as Record<symbol, boolean | undefined>;
  if (holder[INSTALLED] === true) return;
  holder[INSTALLED] = true;
  try {
    if (!isMainThread && !ON_VALUES.includes((env.PINWATCH_WORKERS ?? '').trim().toLowerCase())) {
      declineFromPreload();
      return;
    }
    const { config, problems } = readPreloadConfig(env);
    const log = new Log('main', config?.settings.logLevel ?? 'warn');
    for (const problem of problems) log.warn(problem);
    if (config === null) return;
    requestFromPreload(config.settings);
    installExitHooks(config.failOn);
    installModuleHooks([...config.targets, ...presetTargets(config.presets)], log);
    installEventHooks(config.events);
  } catch (error) {
    writeStderr(`[pinwatch] the preload failed, tracking stays off: ${String(error)}\n`);
  }
}
