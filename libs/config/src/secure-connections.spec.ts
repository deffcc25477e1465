import { z } from 'zod';
import { loadConfig } from './load-config';
import { checkElasticsearchAuth, checkRedisTls, commonSchema, elasticsearchAuthShape, eventBusShape, optionalUrl, redisTlsShape, requireEventBus } from './schemas';
import { elasticsearchConnection, readPemFile, redisTlsOptions } from './secure-connections';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const files: Record<string, string> = { '/etc/shop/ca.crt': PEM, '/etc/shop/not-pem.txt': 'hello' };
const read = (path: string) => {
  if (!(path in files)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return files[path]!;
};

const schema = commonSchema
  .extend({ ...eventBusShape, ELASTICSEARCH_URL: optionalUrl, ...elasticsearchAuthShape, REDIS_URL: optionalUrl, ...redisTlsShape })
  .superRefine((env, ctx) => {
    requireEventBus(env, ctx);
    checkElasticsearchAuth(env, ctx);
    checkRedisTls(env, ctx);
  });
const base = { KAFKA_BROKERS: 'kafka:9093' };

describe('Kafka security settings', () => {
  it('are off unless given', () => {
    const config = loadConfig(schema, base);
    expect(config.KAFKA_SSL).toBe(false);
    expect(config.KAFKA_SASL_MECHANISM).toBeUndefined();
    expect(config.KAFKA_SSL_CA_FILE).toBeUndefined();
  });

  it('take a SASL mechanism in any case, with its user and password', () => {
    const config = loadConfig(schema, { ...base, KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'shop', KAFKA_SASL_PASSWORD: 's3cret' });
    expect(config).toMatchObject({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'shop' });
  });

  it('refuse half a configuration, naming what is missing', () => {
    expect(() => loadConfig(schema, { ...base, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'shop' })).toThrow(/KAFKA_SASL_PASSWORD: required with KAFKA_SASL_MECHANISM=plain/);
    expect(() => loadConfig(schema, { ...base, KAFKA_SASL_USERNAME: 'shop', KAFKA_SASL_PASSWORD: 'x' })).toThrow(/KAFKA_SASL_MECHANISM: set it/);
    expect(() => loadConfig(schema, { ...base, KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'a', KAFKA_SASL_PASSWORD: 'b' })).toThrow(/KAFKA_SASL_MECHANISM/);
    expect(() => loadConfig(schema, { ...base, KAFKA_SSL_CERT_FILE: '/etc/shop/client.crt' })).toThrow(/KAFKA_SSL_KEY_FILE: a client certificate needs both/);
    expect(() => loadConfig(schema, { ...base, KAFKA_SSL: 'maybe' })).toThrow(/KAFKA_SSL/);
  });
});

describe('Elasticsearch credentials and CA', () => {
  const es = { ...base, ELASTICSEARCH_URL: 'https://search.example.com:9243' };

  it('map an API key, or a user and password, and read the CA file', () => {
    expect(elasticsearchConnection(loadConfig(schema, { ...es, ELASTICSEARCH_API_KEY: 'a2V5' }), read)).toEqual({ auth: { apiKey: 'a2V5' } });
    expect(elasticsearchConnection(loadConfig(schema, { ...es, ELASTICSEARCH_USERNAME: 'shop', ELASTICSEARCH_PASSWORD: 'pw', ELASTICSEARCH_CA_FILE: '/etc/shop/ca.crt' }), read)).toEqual({
      auth: { username: 'shop', password: 'pw' },
      tls: { ca: PEM },
    });
    expect(elasticsearchConnection(loadConfig(schema, es), read)).toEqual({});
  });

  it('refuse both kinds of credentials, half a user, a CA for http and settings without a URL', () => {
    expect(() => loadConfig(schema, { ...es, ELASTICSEARCH_API_KEY: 'k', ELASTICSEARCH_USERNAME: 'u', ELASTICSEARCH_PASSWORD: 'p' })).toThrow(/ELASTICSEARCH_API_KEY: give an API key or/);
    expect(() => loadConfig(schema, { ...es, ELASTICSEARCH_USERNAME: 'u' })).toThrow(/ELASTICSEARCH_PASSWORD: basic auth needs both/);
    expect(() => loadConfig(schema, { ...base, ELASTICSEARCH_URL: 'http://es:9200', ELASTICSEARCH_CA_FILE: '/etc/shop/ca.crt' })).toThrow(/ELASTICSEARCH_CA_FILE: a CA is for an https/);
    expect(() => loadConfig(schema, { ...base, ELASTICSEARCH_API_KEY: 'k' })).toThrow(/ELASTICSEARCH_API_KEY: needs ELASTICSEARCH_URL/);
  });
});

describe('Redis over TLS', () => {
  it('takes a CA for a rediss:// URL only', () => {
    const config = loadConfig(schema, { ...base, REDIS_URL: 'rediss://:pw@redis.example.com:6380', REDIS_TLS_CA_FILE: '/etc/shop/ca.crt' });
    expect(redisTlsOptions(config, read)).toEqual({ tls: { ca: PEM } });
    expect(redisTlsOptions(loadConfig(schema, { ...base, REDIS_URL: 'rediss://redis.example.com:6380' }), read)).toEqual({});
    expect(() => loadConfig(schema, { ...base, REDIS_URL: 'redis://redis:6379', REDIS_TLS_CA_FILE: '/etc/shop/ca.crt' })).toThrow(/REDIS_TLS_CA_FILE: a CA is for a rediss:\/\/ REDIS_URL/);
  });
});

describe('readPemFile', () => {
  it('names the variable when the file is missing or not PEM', () => {
    expect(readPemFile('X_CA_FILE', '/etc/shop/ca.crt', read)).toBe(PEM);
    expect(() => readPemFile('X_CA_FILE', '/etc/shop/missing.crt', read)).toThrow('X_CA_FILE: cannot read /etc/shop/missing.crt (ENOENT)');
    expect(() => readPemFile('X_CA_FILE', '/etc/shop/not-pem.txt', read)).toThrow('X_CA_FILE: /etc/shop/not-pem.txt is not a PEM file');
  });
});

// The schema is the one every service spreads: a service config with the event bus takes the Kafka settings too.
it('eventBusShape carries the Kafka security settings', () => {
  expect(Object.keys(z.object(eventBusShape).shape)).toEqual(expect.arrayContaining(['KAFKA_SSL', 'KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']));
});
