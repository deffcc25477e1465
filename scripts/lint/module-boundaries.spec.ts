import { createProjectGraphAsync } from '@nx/devkit';
import type { ESLint, Linter } from 'eslint';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The module boundaries in eslint.config.mjs (@nx/enforce-module-boundaries over the tags in each
 * project.json) must fail a violation, not only pass clean code: the rule skips itself, with a
 * warning, when there is no project graph, and a wrong tag or a too wide `allow` passes everything.
 */
const ROOT = join(__dirname, '..', '..');
const RULE = '@nx/enforce-module-boundaries';

const CASES = {
  appImportsApp: { path: 'apps/review/src/boundary-fixture.ts', source: "import { orderConfigSchema } from '../../order/src/config';\nexport const schema = orderConfigSchema;\n" },
  appTestImportsApp: { path: 'apps/gateway/test/boundary-fixture.ts', source: "import { reviewConfigSchema } from '../../review/src/config';\nexport const schema = reviewConfigSchema;\n" },
  libImportsApp: { path: 'libs/errors/src/boundary-fixture.ts', source: "import { orderConfigSchema } from '../../../apps/order/src/config';\nexport const schema = orderConfigSchema;\n" },
  libImportsTool: { path: 'libs/errors/src/boundary-fixture.ts', source: "import { freePort } from '../../../scripts/platform/platform';\nexport const port = freePort;\n" },
  appImportsLib: { path: 'apps/review/src/boundary-fixture.ts', source: "import { AppError } from '@shop/errors';\nexport const error = AppError;\n" },
  libImportsLib: { path: 'libs/grpc/src/boundary-fixture.ts', source: "import { AppError } from '@shop/errors';\nexport const error = AppError;\n" },
  gatewayTestImportsPlatformHarness: { path: 'apps/gateway/test/boundary-fixture.ts', source: "import { freePort } from '../../../scripts/platform/platform';\nexport const port = freePort;\n" },
};
type Case = keyof typeof CASES;

const boundaryErrors = {} as Record<Case, Linter.LintMessage[]>;

beforeAll(async () => {
  // The rule reads Nx's cached project graph (.nx/workspace-data): make sure it is there and fresh.
  await createProjectGraphAsync({ exitOnError: true });
  const cases = Object.keys(CASES) as Case[];
  const output = execFileSync(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'scripts/lint/lint-text.ts')], {
    cwd: ROOT,
    input: JSON.stringify(cases.map((name) => CASES[name])),
    encoding: 'utf8',
  });
  const results = JSON.parse(output) as ESLint.LintResult[];
  cases.forEach((name, i) => (boundaryErrors[name] = results[i].messages.filter((message) => message.ruleId === RULE)));
}, 120_000);

describe('module boundaries', () => {
  it('refuse an app importing another app', () => {
    expect(boundaryErrors.appImportsApp).toHaveLength(1);
    expect(boundaryErrors.appImportsApp[0]).toMatchObject({ severity: 2, message: expect.stringMatching(/Projects cannot be imported by a relative or absolute path/) });
  });

  it("refuse an app's test importing another app", () => {
    expect(boundaryErrors.appTestImportsApp).toHaveLength(1);
  });

  it('refuse a lib importing an app or a tool', () => {
    expect(boundaryErrors.libImportsApp).toHaveLength(1);
    expect(boundaryErrors.libImportsTool).toHaveLength(1);
  });

  it('pass an app and a lib importing a lib, and the gateway tests using the platform harness', () => {
    expect(boundaryErrors.appImportsLib).toEqual([]);
    expect(boundaryErrors.libImportsLib).toEqual([]);
    expect(boundaryErrors.gatewayTestImportsPlatformHarness).toEqual([]);
  });
});
