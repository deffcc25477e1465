import type { TestInfra } from './infra';

/**
 * The test servers in throwaway containers (testcontainers), for machines with a Docker engine
 * (macOS and Windows with Docker Desktop, Linux with Docker): the same servers scripts/infra/up.sh
 * starts on Debian. They live as long as the jest process that started them (testcontainers'
 * reaper removes them after). Endpoints already given (`given`) are used as they are.
 * The modules are loaded only here, so a machine without Docker never loads them.
 */
export async function startTestContainers(given: Partial<TestInfra>, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<TestInfra> {
  const started: Array<Promise<[keyof TestInfra, string][]>> = [];
  const want = (key: keyof TestInfra) => !given[key];
  if (want('postgresUrl')) {
    started.push(
      (async () => {
        const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
        const pg = await new PostgreSqlContainer('postgres:16-alpine').withUsername('postgres').withPassword('postgres').withDatabase('postgres')
          .withCommand(['postgres', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off']).start();
        return [['postgresUrl', pg.getConnectionUri()]];
      })(),
    );
  }
  if (want('redisUrl')) {
    started.push(
      (async () => {
        const { RedisContainer } = await import('@testcontainers/redis');
        const redis = await new RedisContainer('redis:7-alpine').withCommand(['redis-server', '--databases', '64', '--save', '', '--appendonly', 'no']).start();
        return [['redisUrl', redis.getConnectionUrl()]];
      })(),
    );
  }
  if (want('kafkaBrokers')) {
    started.push(
      (async () => {
        const { KafkaContainer } = await import('@testcontainers/kafka');
        const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().withEnvironment({ KAFKA_NUM_PARTITIONS: '3', KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'true' }).start();
        return [['kafkaBrokers', `${kafka.getHost()}:${kafka.getMappedPort(9093)}`]];
      })(),
    );
  }
  if (want('elasticsearchUrl')) {
    started.push(
      (async () => {
        const { ElasticsearchContainer } = await import('@testcontainers/elasticsearch');
        // Security off, as the test build from Maven Central has it: the tests speak plain http without credentials.
        const es = await new ElasticsearchContainer('docker.elastic.co/elasticsearch/elasticsearch:8.19.4')
          .withEnvironment({ 'xpack.security.enabled': 'false', ES_JAVA_OPTS: '-Xms512m -Xmx512m' }).start();
        return [['elasticsearchUrl', `http://${es.getHost()}:${es.getMappedPort(9200)}`]];
      })(),
    );
  }
  if (want('mailpitUrl') || want('mailpitSmtpUrl')) {
    started.push(
      (async () => {
        const { GenericContainer, Wait } = await import('testcontainers');
        const mailpit = await new GenericContainer('axllent/mailpit:v1.27').withExposedPorts(1025, 8025).withWaitStrategy(Wait.forHttp('/livez', 8025)).start();
        return [
          ['mailpitUrl', `http://${mailpit.getHost()}:${mailpit.getMappedPort(8025)}`],
          ['mailpitSmtpUrl', `smtp://${mailpit.getHost()}:${mailpit.getMappedPort(1025)}`],
        ];
      })(),
    );
  }
  if (want('mongoUrl')) {
    started.push(
      (async () => {
        const { MongoDBContainer } = await import('@testcontainers/mongodb');
        const mongo = await new MongoDBContainer('mongo:8.0').start();
        // The module starts a one-member replica set reached through the mapped port.
        const url = new URL(mongo.getConnectionString());
        url.pathname = '/';
        url.searchParams.set('directConnection', 'true');
        return [['mongoUrl', url.toString()]];
      })(),
    );
  }
  const infra: Partial<TestInfra> = { ...given };
  for (const pairs of await Promise.all(started)) for (const [key, value] of pairs) infra[key] = value;
  log(`[testcontainers] ${Object.entries(infra).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  return infra as TestInfra;
}
