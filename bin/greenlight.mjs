#!/usr/bin/env node
// `npx greenlight …` from the checkout: runs the TypeScript CLI (cli/greenlight.ts) through tsx, no build step.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../cli/greenlight.ts');
process.exitCode = await main(process.argv.slice(2));
