import type { KeyFunction } from '../keys';
import type { TrackOptions } from '../options';
import { isAbsolute, resolve } from 'node:path';
import { validateOptions } from '../options';

/** How a target's value is wrapped once its function or getter returns it. */
export type TargetReturn =
  /** The value is itself a stream of a shape track() knows. */
  | { kind: 'stream'; options: TrackOptions }
  /** The value is an object whose named properties (dotted paths) are streams. */
  | { kind: 'properties'; properties: ReadonlyMap<string, TrackOptions> };

/**
 * A place in a dependency where the app's streams are created: a module, a path to a
 * function, method or getter on its exports (`[]` for the module itself, or
 * `['Client', 'prototype', 'subscribe']`), and what it returns.
 */
export interface TargetSpec {
  /** A package name, a package subpath, or an absolute file path. */
  module: string;
  exportPath: string[];
  returns: TargetReturn;
  /** Where the target came from, to name it in messages (`config.json targets[2]`, `preset x`). */
  origin: string;
}

/** A key function that reads a dotted property path (`header.hash`) from a notification. */
export function keyAtPath(path: string): KeyFunction {
  const parts = path.split('.');
  return (value) => {
    let current: unknown = value;
    for (const part of parts) {
      if (current === null || (typeof current !== 'object' && typeof current !== 'function')) {
        return undefined;
      }
      current = (current as Record<string, unknown>)[part];
    }
    return current;
  };
}

const PATH_PATTERN = /^[\w$]+(\.[\w$]+)*$/;
const TARGET_FIELDS = ['module', 'export', 'label', 'key', 'event', 'properties'];

/**
 * Reads one target from a config file. Returns the target, or a message that names the
 * field, the value and what is accepted. Relative module paths are taken from `baseDir`.
 */
export function parseTarget(raw: unknown, origin: string, baseDir: string): TargetSpec | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return `${origin} must be an object with module, export and label`;
  }
  const fields = raw as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((name) => !TARGET_FIELDS.includes(name));
  if (unknown.length > 0) {
    return `${origin} has unknown field ${unknown[0]}: expected ${TARGET_FIELDS.join(', ')}`;
  }
  const { module, properties } = fields;
  if (typeof module !== 'string' || module.trim() === '') {
    return `${origin}.module must be a package name or a file path, got ${JSON.stringify(module)}`;
  }
  const exportName = fields.export ?? '';
  if (typeof exportName !== 'string' || (exportName !== '' && !PATH_PATTERN.test(exportName))) {
    const accepted = 'an export name or a dotted path like Client.prototype.subscribe';
    return `${origin}.export must be ${accepted}, got ${JSON.stringify(exportName)}`;
  }
  const options = parseStreamOptions(fields, origin);
  if (typeof options === 'string') return options;
  const returns = properties === undefined ? { kind: 'stream' as const, options } : null;
  const spec = {
    module: moduleId(module.trim(), baseDir),
    exportPath: exportName === '' ? [] : exportName.split('.'),
    origin,
  };
  if (returns !== null) return { ...spec, returns };
  const parsed = parseProperties(properties, options, origin);
  return typeof parsed === 'string' ? parsed : { ...spec, returns: parsed };
}

function parseProperties(
  raw: unknown,
  defaults: TrackOptions,
  origin: string,
): TargetReturn | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return `${origin}.properties must map property paths to a label or to {label, key, event}`;
  }
  const properties = new Map<string, TrackOptions>();
  for (const [path, value] of Object.entries(raw as Record<string, unknown>)) {
    const where = `${origin}.properties.${path}`;
    if (!PATH_PATTERN.test(path)) return `${where}: a property path must be dotted names`;
    const fields = typeof value === 'string' ? { label: value } : value;
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      return `${where} must be a label or an object with label, key, event`;
    }
    const options = parseStreamOptions(fields as Record<string, unknown>, where);
    if (typeof options === 'string') return options;
    properties.set(path, { ...defaults, ...options });
  }
  if (properties.size === 0) return `${origin}.properties names no property`;
  return { kind: 'properties', properties };
}

/** label, key (a dotted property path) and event of a stream, checked as track() would. */
function parseStreamOptions(
  fields: Record<string, unknown>,
  origin: string,
): TrackOptions | string {
  const { label, key, event } = fields;
  if (key !== undefined && (typeof key !== 'string' || !PATH_PATTERN.test(key))) {
    return `${origin}.key must be a property path like hash or header.hash, got ${String(key)}`;
  }
  const options: TrackOptions = {};
  if (label !== undefined) options.label = label as string;
  if (event !== undefined) options.event = event as string;
  if (typeof key === 'string') options.key = keyAtPath(key);
  const problem = validateOptions(options);
  return problem === null ? options : `${origin}: ${problem.replace(/^track\(\) options\./, '')}`;
}

/** Package names stay as they are; paths become absolute, from the config file's folder. */
function moduleId(module: string, baseDir: string): string {
  if (isAbsolute(module)) return module;
  if (module.startsWith('./') || module.startsWith('../')) return resolve(baseDir, module);
  return module;
}
