import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import prettier from 'eslint-config-prettier';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  prettier,
  // The layers import one way only (app -> components -> lib; within lib, no module imports one that imports it back).
  { rules: { 'import/no-cycle': ['error', { ignoreExternal: true }] } },
  globalIgnores(['.next/**', '.next-test/**', '.next-shots/**', 'next-env.d.ts', 'lib/generated/**', 'data/**', 'test-results/**', 'playwright-report/**']),
]);
