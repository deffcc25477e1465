// `npm start`: the platform's embedded default on one machine, or real infrastructure when
// DATABASE_URL, KAFKA_BROKERS and REDIS_URL are set.
import { join } from 'node:path';
import { type Platform, startPlatform } from './platform/platform';
import { seedClients } from './seed/clients';
import { DEFAULT_PRODUCTS } from './seed/demo-catalog';
import { demoCatalogueStep, readDemoLoadMarker, writeDemoLoadMarker } from './seed/first-start';
import { seedCatalog } from './seed/seed-catalog';
import { BACKEND_SERVICES } from './platform/services';

/** AUTH_DATABASE_URL, USER_DATABASE_URL…, where given. */
function perServiceDatabaseUrls(): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const service of BACKEND_SERVICES) {
    const url = process.env[`${service.name.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`];
    if (service.database && url) urls[service.name] = url;
  }
  return urls;
}

/**
 * On first start (an empty catalogue) the demo catalogue is loaded, so there is something to browse
 * and search; a first load that was interrupted (Ctrl+C, a crash) is finished on the next start.
 */
async function loadDemoCatalogue(platform: Platform): Promise<string> {
  const port = (name: string) => `127.0.0.1:${platform.processes.get(name)!.grpcPort}`;
  const clients = seedClients(port('product'), port('inventory'));
  try {
    const { total } = await clients.product.call('listProducts', { page: 1, limit: 1, status: '' });
    const marker = readDemoLoadMarker(platform.dataDir);
    const step = demoCatalogueStep(process.env.SEED_DEMO_DATA !== 'false', total, marker);
    if (step === 'skip') return 'demo catalogue: not loaded (SEED_DEMO_DATA=false)';
    if (step === 'leave') return `demo catalogue: ${total} products already there`;
    const products = step === 'resume' ? marker!.products : Number(process.env.SEED_PRODUCTS ?? DEFAULT_PRODUCTS);
    process.stdout.write(
      step === 'resume'
        ? `[platform] the first load of the demo catalogue was interrupted (${total} of ${products} products): resuming it…\n`
        : `[platform] first start: loading the demo catalogue (${products} products with stock)…\n`,
    );
    writeDemoLoadMarker(platform.dataDir, { state: 'loading', products });
    const report = await seedCatalog({ ...clients, products, log: (message) => process.stdout.write(`[seed] ${message}\n`) });
    writeDemoLoadMarker(platform.dataDir, { state: 'loaded', products });
    // The search index is fed by events; wait until it has caught up so search works at once.
    const deadline = Date.now() + 120_000;
    const searchable = () => clients.product.call('searchProducts', { q: '', category: '', attributes: [], sort: '', page: 1, limit: 1 });
    while ((await searchable()).total < report.products.published && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const resumed = step === 'resume' ? ` (resumed: ${report.products.imported} added to the ${report.products.skipped} there)` : '';
    return `demo catalogue: ${report.products.published} published products loaded${resumed} in ${(report.timings.totalMs / 1000).toFixed(1)} s`;
  } finally {
    clients.close();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const platform = await startPlatform({
    gatewayPort: Number(process.env.PORT ?? 8080),
    preferDefaultPorts: true,
    databaseUrl: process.env.DATABASE_URL || undefined,
    databaseUrls: perServiceDatabaseUrls(),
    kafkaBrokers: process.env.KAFKA_BROKERS || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
    elasticsearchUrl: process.env.ELASTICSEARCH_URL || undefined,
    smtpUrl: process.env.SMTP_URL || undefined,
    dataDir: process.env.DATA_DIR || undefined,
  });
  // Ctrl+C stops every process even while the demo catalogue loads; the next start finishes the load.
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write('[platform] stopping…\n');
    platform.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let catalogue: string;
  try {
    catalogue = await loadDemoCatalogue(platform);
  } catch (error) {
    // Stopped mid-load: the services went away under the seed; the stop ends the process.
    if (stopping) return;
    throw error;
  }
  const lines = [
    '',
    `  Gateway listening on ${platform.gatewayUrl}  (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  API:         ${platform.gatewayUrl}/api/v1`,
    `  API docs:    ${platform.gatewayUrl}/docs`,
    `  Health:      ${platform.gatewayUrl}/health/ready    Metrics: ${platform.gatewayUrl}/metrics`,
    platform.adminCredentialsFile
      ? `  Admin login: ${platform.adminEmail}, password in ${platform.adminCredentialsFile}`
      : `  Admin login: ${platform.adminEmail} (ADMIN_PASSWORD from the environment)`,
    `  Catalogue:   ${catalogue}; try ${platform.gatewayUrl}/api/v1/products?q=jacket`,
    `  Events:      ${process.env.KAFKA_BROKERS ? `Kafka at ${process.env.KAFKA_BROKERS}` : 'Postgres event log (embedded; set KAFKA_BROKERS for Kafka)'}`,
    `  Mail:        ${process.env.SMTP_URL ? `SMTP at ${new URL(process.env.SMTP_URL).host}` : `.eml files in ${join(process.env.DATA_DIR || '.data', 'mail')} (set SMTP_URL for an SMTP server)`}`,
    '  Stop with Ctrl+C.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[platform] could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
