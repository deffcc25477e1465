const { unitProject, serverProject, deployProject } = require('./tools/jest.preset');

/** @type {import('jest').Config} */
module.exports = {
  projects: [unitProject(__dirname), deployProject(__dirname), serverProject(__dirname, 'integration'), serverProject(__dirname, 'e2e')],
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/tools/jest-summary-reporter.js'],
};
