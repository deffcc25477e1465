// Compiles apps/, libs/ and scripts/ to dist/ with swc (type checking is `npm run typecheck`).
const { transformFile } = require('@swc/core');
const { mkdir, readdir, rm, writeFile } = require('node:fs/promises');
const { dirname, join, relative } = require('node:path');
const { root, swcOptions } = require('./swc-options');

const SOURCES = ['apps', 'libs', 'scripts', 'bench'];
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

async function main() {
  const started = Date.now();
  const out = join(root, 'dist');
  await rm(out, { recursive: true, force: true });
  const files = [];
  for (const source of SOURCES) for await (const file of sourceFiles(join(root, source))) files.push(file);
  await Promise.all(
    files.map(async (file) => {
      const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
      const { code, map } = await transformFile(file, { ...swcOptions(), filename: file, sourceFileName: relative(dirname(target), file) });
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
      if (map) await writeFile(`${target}.map`, map);
    }),
  );
  console.log(`built ${files.length} files into dist/ in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
