// Types of scripts/build-sandbox.mjs, for the browser tests that build the sandbox.

/** The built-in scenarios as `{ id, scenario }`: default, then lessons/* and parity/*. */
export function catalog(): { id: string; scenario: unknown }[];

/** Builds the sandbox into `outDir` (default dist/web); resolves to the directory. */
export function buildSandbox(outDir?: string): Promise<string>;
