import { type KafkaSecurityConfig, type ReadFile, readPemFile } from '@shop/config';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';

export interface KafkaSecurity {
  /** TLS: `true` verifies the brokers with the system's CAs; an object adds a CA and a client certificate. */
  ssl?: ConnectionOptions | boolean;
  sasl?: SASLOptions;
}

/**
 * kafkajs' `ssl` and `sasl` options from KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE/_KEY_FILE and
 * KAFKA_SASL_MECHANISM/_USERNAME/_PASSWORD (validated by checkKafkaSecurity). A CA or a client
 * certificate turns TLS on by itself; files are read once, here, and a bad one names its variable.
 */
export function kafkaSecurity(config: KafkaSecurityConfig, read?: ReadFile): KafkaSecurity {
  const security: KafkaSecurity = {};
  const tls: ConnectionOptions = {};
  if (config.KAFKA_SSL_CA_FILE) tls.ca = [readPemFile('KAFKA_SSL_CA_FILE', config.KAFKA_SSL_CA_FILE, read)];
  if (config.KAFKA_SSL_CERT_FILE && config.KAFKA_SSL_KEY_FILE) {
    tls.cert = readPemFile('KAFKA_SSL_CERT_FILE', config.KAFKA_SSL_CERT_FILE, read);
    tls.key = readPemFile('KAFKA_SSL_KEY_FILE', config.KAFKA_SSL_KEY_FILE, read);
  }
  if (Object.keys(tls).length > 0) security.ssl = tls;
  else if (config.KAFKA_SSL) security.ssl = true;
  if (config.KAFKA_SASL_MECHANISM) {
    const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
    if (!username || !password) throw new Error(`KAFKA_SASL_MECHANISM=${config.KAFKA_SASL_MECHANISM} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
    security.sasl = { mechanism: config.KAFKA_SASL_MECHANISM, username, password } as SASLOptions;
  }
  return security;
}
