import { startMongoMemoryServer } from '@shop/mongo';
import { provideTestInfra } from './infra';

/** Jest globalSetup for integration and end-to-end tests: real servers, from the environment, testcontainers or the project's scripts (provideTestInfra). */
export default async function globalSetup(): Promise<void> {
  // A real mongod instead of FerretDB, where mongodb-memory-server can fetch one (SHOP_TEST_MONGO=memory-server);
  // it lives as long as the test run.
  if (process.env.SHOP_TEST_MONGO === 'memory-server' && !process.env.TEST_MONGO_URL && !process.env.MONGO_URL) {
    process.env.TEST_MONGO_URL = (await startMongoMemoryServer()).url;
  }
  const infra = await provideTestInfra();
  // Tests that start second instances of the local servers (secured-stores) read where the first came from.
  process.env.SHOP_TEST_INFRA_SOURCE = infra.source;
  process.env.TEST_POSTGRES_URL = infra.postgresUrl;
  process.env.TEST_REDIS_URL = infra.redisUrl;
  process.env.TEST_KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.TEST_ELASTICSEARCH_URL = infra.elasticsearchUrl;
  process.env.TEST_MAILPIT_URL = infra.mailpitUrl;
  process.env.TEST_MAILPIT_SMTP_URL = infra.mailpitSmtpUrl;
  process.env.TEST_MONGO_URL = infra.mongoUrl;
}
