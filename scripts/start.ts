// `npm start`: the platform's embedded default on one machine, or real infrastructure when
// DATABASE_URL, KAFKA_BROKERS and REDIS_URL are set.
import { startPlatform } from './platform/platform';
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

async function main(): Promise<void> {
  const started = Date.now();
  const platform = await startPlatform({
    gatewayPort: Number(process.env.PORT ?? 8080),
    databaseUrl: process.env.DATABASE_URL || undefined,
    databaseUrls: perServiceDatabaseUrls(),
    kafkaBrokers: process.env.KAFKA_BROKERS || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
    elasticsearchUrl: process.env.ELASTICSEARCH_URL || undefined,
    dataDir: process.env.DATA_DIR || undefined,
  });
  const lines = [
    '',
    `  Gateway listening on ${platform.gatewayUrl}  (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  API:         ${platform.gatewayUrl}/api/v1`,
    `  API docs:    ${platform.gatewayUrl}/docs`,
    `  Health:      ${platform.gatewayUrl}/health/ready    Metrics: ${platform.gatewayUrl}/metrics`,
    platform.adminCredentialsFile
      ? `  Admin login: ${platform.adminEmail}, password in ${platform.adminCredentialsFile}`
      : `  Admin login: ${platform.adminEmail} (ADMIN_PASSWORD from the environment)`,
    `  Events:      ${process.env.KAFKA_BROKERS ? `Kafka at ${process.env.KAFKA_BROKERS}` : 'Postgres event log (embedded; set KAFKA_BROKERS for Kafka)'}`,
    '  Stop with Ctrl+C.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write('[platform] stopping…\n');
    platform.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`[platform] could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
