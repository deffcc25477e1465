// Compiles one Nx project's TypeScript (its root given as the argument, e.g. apps/order) with swc to
// dist/<root>, the layout the start script, the tests and the deploy files load; each project's
// `build` target runs this, so Nx can cache and restore one project's output on its own (type
// checking is `npm run typecheck`).
const { transformFile } = require('@swc/core');
const { mkdir, readdir, rm, writeFile } = require('node:fs/promises');
const { dirname, join, relative, resolve } = require('node:path');
const { root, swcOptions } = require('./swc-options');

const SKIP = /(\.spec|\.int-spec|\.e2e-spec|\.d)\.ts$/;

async function* sourceFiles(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'test') yield* sourceFiles(path);
    else if (entry.isFile() && entry.name.endsWith('.ts') && !SKIP.test(entry.name)) yield path;
  }
}

async function main(projectRoot) {
  const source = resolve(root, projectRoot);
  const relativeRoot = relative(root, source);
  if (!projectRoot || relativeRoot === '' || relativeRoot.startsWith('..')) {
    throw new Error(`usage: node tools/build.js <project root inside the workspace, e.g. apps/order> (got ${projectRoot ?? 'nothing'})`);
  }
  const out = join(root, 'dist', relativeRoot);
  // Only this project's output: the other projects' builds (run in parallel, or restored from
  // the Nx cache) share dist/.
  await rm(out, { recursive: true, force: true });
  const files = [];
  for await (const file of sourceFiles(source)) files.push(file);
  await Promise.all(
    files.map(async (file) => {
      const target = join(root, 'dist', relative(root, file)).replace(/\.ts$/, '.js');
      const { code, map } = await transformFile(file, { ...swcOptions(), filename: file, sourceFileName: relative(dirname(target), file) });
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
      if (map) await writeFile(`${target}.map`, map);
    }),
  );
}

main(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(1);
});
