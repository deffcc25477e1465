import { ensureTestInfra } from './infra';

/** Jest globalSetup for integration and end-to-end tests: real servers, started by the project's scripts. */
export default async function globalSetup(): Promise<void> {
  const infra = ensureTestInfra();
  process.env.TEST_POSTGRES_URL = infra.postgresUrl;
  process.env.TEST_REDIS_URL = infra.redisUrl;
  process.env.TEST_KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.TEST_ELASTICSEARCH_URL = infra.elasticsearchUrl;
  process.env.TEST_MAILPIT_URL = infra.mailpitUrl;
  process.env.TEST_MAILPIT_SMTP_URL = infra.mailpitSmtpUrl;
}
