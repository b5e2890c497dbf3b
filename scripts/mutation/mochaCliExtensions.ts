// Preloaded (NODE_OPTIONS=--require) into Stryker's processes by scripts/mutation/mutate.ts.
// @stryker-mutator/mocha-runner 10.1.1 requires mocha's CLI internals without an extension
// (`mocha/lib/cli/run-helpers`, `options`, `collect-files`), and Mocha 12 ships them as `.cjs`,
// so the plugin fails to load (stryker-js pull request #6205, open). This resolves exactly those
// three requests to their `.cjs` files when the extensionless name finds nothing; drop it once
// a mocha-runner release loads Mocha 12 by itself.

import Module = require("module");

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolve };
const resolve = moduleInternals._resolveFilename;
const MOCHA_CLI_INTERNAL = /[\\/]mocha[\\/]lib[\\/]cli[\\/](run-helpers|options|collect-files)$/;

moduleInternals._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    if (!MOCHA_CLI_INTERNAL.test(request)) return resolve.call(this, request, ...rest);
    try {
        return resolve.call(this, request, ...rest);
    } catch {
        return resolve.call(this, `${request}.cjs`, ...rest);
    }
};
