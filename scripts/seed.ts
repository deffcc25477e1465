// `node dist/scripts/seed.js [--products N] [--seed S] [--no-stock]`: loads the demo catalogue into a
// running platform (`npm start`), over gRPC to the product and inventory services.
import { seedClients } from './seed/clients';
import { DEFAULT_PRODUCTS, DEFAULT_SEED } from './seed/demo-catalog';
import { seedCatalog } from './seed/seed-catalog';

const USAGE = 'usage: node dist/scripts/seed.js [--products N] [--seed S] [--no-stock]';

function parseArguments(args: string[]): { products: number; seed: number; stock: boolean } {
  const options = { products: DEFAULT_PRODUCTS, seed: DEFAULT_SEED, stock: true };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const [name, inline] = arg.split('=', 2) as [string, string | undefined];
    const value = () => {
      const text = inline ?? args[(i += 1)];
      const number = Number(text);
      if (!text || !Number.isInteger(number) || number < 0) throw new Error(`${name} needs a whole number\n${USAGE}`);
      return number;
    };
    if (name === '--products') options.products = value();
    else if (name === '--seed') options.seed = value();
    else if (arg === '--no-stock') options.stock = false;
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const productUrl = process.env.PRODUCT_GRPC_URL || '127.0.0.1:50053';
  const inventoryUrl = process.env.INVENTORY_GRPC_URL || '127.0.0.1:50054';
  const log = (message: string) => process.stdout.write(`[seed] ${message}\n`);
  log(`${options.products} products (seed ${options.seed}) into product at ${productUrl}${options.stock ? `, stock into inventory at ${inventoryUrl}` : ''}`);
  const clients = seedClients(productUrl, options.stock ? inventoryUrl : undefined);
  try {
    const report = await seedCatalog({ ...clients, products: options.products, seed: options.seed, log });
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const { categories, products, stock, timings } = report;
    log(`categories: ${categories.created} created, ${categories.reused} reused (${seconds(timings.categoriesMs)})`);
    log(
      `products: ${products.imported} imported, ${products.skipped} there already; ${products.published} published, ${products.drafts} drafts, ${report.variants} SKUs (${seconds(timings.productsMs)})`,
    );
    if (stock) log(`stock: ${stock.set} SKUs set, ${stock.outOfStock} of them out of stock, ${stock.skipped} left alone (${seconds(timings.stockMs)})`);
    log(`done in ${seconds(timings.totalMs)}; search indexing continues in the background for a little while`);
  } finally {
    clients.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[seed] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
