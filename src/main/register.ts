/**
 * The preload entry: `node --require pinwatch/register app.js` (or `--import`). It reads
 * PINWATCH and nothing else before deciding; off, it returns having loaded no module,
 * started no thread and added no listener. A second load is a no-op: Node caches this file,
 * and the preload guards itself on globalThis against a second copy of pinwatch.
 */
import type * as Preload from './preload';
import type * as SwitchWarning from './switch-warning';

const switchValue = (process.env.PINWATCH ?? '').trim().toLowerCase();
const isOn = ['1', 'true', 'on', 'yes'].includes(switchValue);
const isOff = ['', '0', 'false', 'off', 'no'].includes(switchValue);

/* eslint-disable @typescript-eslint/no-require-imports */
if (isOn) {
  (require('./preload') as typeof Preload).install(process.env);
} else if (!isOff) {
  // A typo never turns the agent on; it is said once, loading only the config reader.
  (require('./switch-warning') as typeof SwitchWarning).warnBadSwitch(process.env);
}
