// Shared jest setup: swc compiles TypeScript (with the tsconfig path aliases), tests run in node.
const { swcOptions } = require('./swc-options');

const transform = { '^.+\\.ts$': ['@swc/jest', swcOptions()] };

/** Unit tests sit beside the code (*.spec.ts) and need no server. */
function unitProject(root) {
  return {
    displayName: 'unit',
    rootDir: root,
    testEnvironment: 'node',
    transform,
    testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'],
  };
}

/** Integration (*.int-spec.ts) and end-to-end (*.e2e-spec.ts) tests run against real servers. */
function serverProject(root, kind) {
  return {
    displayName: kind,
    rootDir: root,
    testEnvironment: 'node',
    transform,
    testMatch: [`<rootDir>/{apps,libs}/*/test/**/*.${kind === 'integration' ? 'int' : 'e2e'}-spec.ts`],
    globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
    slowTestThreshold: 30,
  };
}

/**
 * Checks of the deployment files (docker-compose.yml, the Helm chart, the image) against the apps:
 * no server, but helm (scripts/helm.sh builds it once) to render the chart.
 */
function deployProject(root) {
  return {
    displayName: 'deploy',
    rootDir: root,
    testEnvironment: 'node',
    transform,
    testMatch: ['<rootDir>/deploy/**/*.spec.ts'],
  };
}

module.exports = { unitProject, serverProject, deployProject };
