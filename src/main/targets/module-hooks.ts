import { register } from 'node:module';
import { isAbsolute, parse } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log } from '../../shared/log';
import type { TargetSpec } from './target-spec';
import { applyTarget } from './wrap-target';

type OnModule = (exports: unknown, name: string, baseDir?: string, esm?: boolean) => unknown;
interface HookConstructor {
  new (modules: string[], options: { internals: boolean }, onModule: OnModule): unknown;
}

/**
 * Hooks the modules the targets name: CommonJS at `require` (require-in-the-middle) and
 * ES modules at `import` (Node's module.register with import-in-the-middle, limited to
 * those modules). Loaded only when there are targets, so an agent without any pays nothing.
 */
export function installModuleHooks(targets: readonly TargetSpec[], log: Log): void {
  if (targets.length === 0) return;
  for (const target of targets) warnIfUnresolvable(target, log);
  const modules = [...new Set(targets.map((target) => target.module))];
  const internals = modules.some(isPackageSubpath);
  const onModule: OnModule = (exports, name, baseDir, esm = false) => {
    let result = exports;
    for (const target of targets) {
      if (!matches(target.module, name, baseDir)) continue;
      // An ES module's namespace is never callable: the module itself is its default export.
      const spec =
        esm && target.exportPath.length === 0 ? { ...target, exportPath: ['default'] } : target;
      try {
        result = applyTarget(result, spec, log);
      } catch (error) {
        log.warn(`target ${target.module} (${target.origin}) could not be wrapped`, { error });
      }
    }
    return result;
  };
  installRequireHook(modules, internals, onModule, log);
  installImportHook(modules, internals, onModule, log);
}

function installRequireHook(modules: string[], internals: boolean, onModule: OnModule, log: Log) {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Hook } = require('require-in-the-middle') as { Hook: HookConstructor };
    new Hook(modules, { internals }, onModule);
  } catch (error) {
    log.warn('CommonJS targets are not hooked: require-in-the-middle failed', { error });
  }
}

/**
 * ES modules are seen only through a loader registered before they are imported. The
 * include list keeps import-in-the-middle away from every other module.
 */
function installImportHook(modules: string[], internals: boolean, onModule: OnModule, log: Log) {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const iitm = require('import-in-the-middle') as { Hook: HookConstructor };
    const include = modules.map((id) => (isAbsolute(id) ? pathToFileURL(id).href : id));
    register('import-in-the-middle/hook.mjs', pathToFileURL(__filename), { data: { include } });
    new iitm.Hook(modules, { internals }, (exports, name, baseDir) => {
      // import-in-the-middle hands a namespace that is changed in place; a returned
      // value would replace the default export, so nothing is returned.
      onModule(exports, name, baseDir, true);
    });
  } catch (error) {
    log.warn('ES module targets are not hooked: the module loader hook failed', { error });
  }
}

/**
 * require-in-the-middle names a file hooked by absolute path by its base name and folder;
 * import-in-the-middle by its full path; packages are named as required.
 */
function matches(module: string, name: string, baseDir?: string): boolean {
  if (name === module) return true;
  if (!isAbsolute(module) || baseDir === undefined) return false;
  const parsed = parse(module);
  return parsed.dir === baseDir && parsed.name === name;
}

function isPackageSubpath(module: string): boolean {
  if (isAbsolute(module)) return false;
  return module.split('/').length > (module.startsWith('@') ? 2 : 1);
}

/** A target whose module cannot be found from the working directory is said at once. */
function warnIfUnresolvable(target: TargetSpec, log: Log): void {
  try {
    require.resolve(target.module, { paths: [process.cwd()] });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') return;
    log.warn(
      `target module ${target.module} (${target.origin}) cannot be found from ` +
        `${process.cwd()}; it is tracked if it loads later`,
    );
  }
}
