// Flat ESLint config: typescript-eslint's recommended rules over every TypeScript file, and Nx's
// module boundaries over the project graph (tags in each project.json; docs/architecture.md, "Build").
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const boundaries = {
  depConstraints: [
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
    { sourceTag: 'type:deploy', onlyDependOnLibsWithTags: ['type:lib'] },
  ],
  // lib-testing's helpers (test databases) are built on lib-persistence and lib-mongo, whose own
  // tests use those helpers: a cycle through test files only, not between their production code.
  ignoredCircularDependencies: [
    ['lib-testing', 'lib-persistence'],
    ['lib-testing', 'lib-mongo'],
  ],
  // "Lazy-loaded libraries" are a browser-bundle notion: a test that sets the environment and then
  // await import()s @shop/config is not splitting a bundle.
  checkDynamicDependenciesExceptions: ['@shop/*'],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/generated/**', 'coverage/**', 'tools/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-console': 'error',
      '@nx/enforce-module-boundaries': ['error', boundaries],
    },
  },
  {
    // Tests import their own project through its public entry point (@shop/grpc in libs/grpc/test).
    files: ['libs/*/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { ...boundaries, allowCircularSelfDependency: true }],
    },
  },
  {
    // The gateway's end-to-end tests start the whole platform with scripts/platform (the code npm
    // start runs) and read its event streams with bench's SSE client: app tests may use the tools,
    // never another app.
    files: ['apps/*/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { ...boundaries, allow: ['^(\\.\\./)+(scripts|bench)/'] }],
    },
  },
  {
    // The tools and the deploy checks exercise apps' own code: the seed's test validates products as
    // product does, the search bench sends Elasticsearch the product service's own query, the deploy
    // checks load each app's config schema and auth's password policy; the benches start the
    // platform with scripts/platform.
    files: ['scripts/**/*.ts', 'bench/**/*.ts', 'deploy/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { ...boundaries, allow: ['^(\\.\\./)+(apps|scripts|bench)/'] }],
    },
  },
);
