import { dirname, sep } from 'node:path';

/** Everything under the agent's own compiled `src` folder is the agent's, never the user's. */
const AGENT_ROOT = dirname(__dirname) + sep;

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

function framesOf(_error: Error, frames: NodeJS.CallSite[]): NodeJS.CallSite[] {
  return frames;
}

/**
 * Captures the caller's stack as raw frames, one `function\tfile\tline\tcolumn` line each,
 * leaving out the agent's frames and Node's internals. Nothing is formatted or source
 * mapped here: the worker does that off the host's thread, and only when it reports.
 */
export function captureStack(depth: number): string {
  if (depth <= 0) return '';
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const savedPrepare = Error.prepareStackTrace as PrepareStackTrace | undefined;
  const savedLimit = Error.stackTraceLimit;
  let frames: NodeJS.CallSite[] | undefined;
  try {
    // Our own frames come first and are dropped below, so ask for a few more.
    Error.stackTraceLimit = depth + 12;
    Error.prepareStackTrace = framesOf;
    Error.captureStackTrace(holder, captureStack);
    frames = holder.stack;
  } finally {
    Error.prepareStackTrace = savedPrepare as typeof Error.prepareStackTrace;
    Error.stackTraceLimit = savedLimit;
  }
  if (!Array.isArray(frames)) return '';
  const lines: string[] = [];
  for (const frame of frames) {
    if (lines.length >= depth) break;
    const line = formatFrame(frame);
    if (line !== null) lines.push(line);
  }
  return lines.join('\n');
}

function formatFrame(frame: NodeJS.CallSite): string | null {
  const file = frame.getFileName() ?? frame.getScriptNameOrSourceURL?.() ?? '';
  if (file === '' || file.startsWith('node:') || file.startsWith(AGENT_ROOT)) return null;
  if (file.startsWith('file://') && decodeFileUrl(file).startsWith(AGENT_ROOT)) return null;
  const name = frame.getFunctionName() ?? frame.getMethodName() ?? '';
  const typeName = frame.getTypeName();
  const fn = name !== '' && typeName && !frame.isToplevel() ? `${typeName}.${name}` : name;
  return `${fn}\t${file}\t${frame.getLineNumber() ?? 0}\t${frame.getColumnNumber() ?? 0}`;
}

function decodeFileUrl(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return url;
  }
}
