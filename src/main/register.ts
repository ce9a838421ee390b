/**
 * The preload entry: `node --require pinwatch/register app.js` (or `--import`). It reads
 * PINWATCH and nothing else before deciding; off, it returns having loaded no module,
 * started no thread and added no listener.
 */
const value = (process.env.PINWATCH ?? '').trim().toLowerCase();
const isOn = value === '1' || value === 'true' || value === 'on' || value === 'yes';

if (isOn || !['', '0', 'false', 'off', 'no'].includes(value)) {
  // Loaded only when asked for: the full agent, which reports a bad PINWATCH value itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./preload') as { install(): void }).install();
}
