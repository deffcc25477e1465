// `node -r @swc-node/register scripts/lint/lint-text.ts < sources.json`: lints in-memory sources,
// each as if it were the file at its path ([{ "path": "apps/review/src/x.ts", "source": "…" }]),
// with the workspace's eslint.config.mjs, and prints ESLint's results as JSON. A process of its own
// because ESLint loads that ES module config with import(), which jest's module sandbox refuses.
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface SourceToLint {
  path: string;
  source: string;
}

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const sources = JSON.parse(readFileSync(0, 'utf8')) as SourceToLint[];
  const eslint = new ESLint({ cwd: root });
  const results: ESLint.LintResult[] = [];
  for (const { path, source } of sources) results.push(...(await eslint.lintText(source, { filePath: join(root, path) })));
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
