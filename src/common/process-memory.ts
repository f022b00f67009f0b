// Memory shared by the whole provider process. The Pulumi dynamic-provider host serves every resource of a
// deployment from one process but may load a separate copy of this package per serialized provider, so module
// scope is not shared between resources: each table lives on globalThis under a registered symbol.
const tables = globalThis as unknown as Record<symbol, unknown>;

/** The process-wide value named `name`, created by `init` on first use. */
export function processMemory<T>(name: string, init: () => T): T {
  const key = Symbol.for(`pulumi-keylink.${name}`);
  if (!(key in tables)) tables[key] = init();
  return tables[key] as T;
}

/** Replaces the process-wide value named `name` (configuration given by the engine). */
export function setProcessMemory<T>(name: string, value: T): void {
  tables[Symbol.for(`pulumi-keylink.${name}`)] = value;
}

/** Forgets the process-wide value named `name` (a new deployment in the same process: tests). */
export function forgetProcessMemory(name: string): void {
  delete tables[Symbol.for(`pulumi-keylink.${name}`)];
}
