import { kafkaSecurity } from './kafka-security';

const PEM = (what: string) => `-----BEGIN ${what}-----\nMIIB\n-----END ${what}-----\n`;
const files: Record<string, string> = { '/tls/ca.crt': PEM('CERTIFICATE'), '/tls/client.crt': PEM('CERTIFICATE'), '/tls/client.key': PEM('PRIVATE KEY') };
const read = (path: string) => {
  if (!(path in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
  return files[path]!;
};

describe('kafkaSecurity', () => {
  it('is plain TCP without settings', () => {
    expect(kafkaSecurity({}, read)).toEqual({});
  });

  it('verifies brokers with the system CAs on KAFKA_SSL=true', () => {
    expect(kafkaSecurity({ KAFKA_SSL: true }, read)).toEqual({ ssl: true });
  });

  it('turns TLS on with a CA or a client certificate', () => {
    expect(kafkaSecurity({ KAFKA_SSL_CA_FILE: '/tls/ca.crt' }, read)).toEqual({ ssl: { ca: [PEM('CERTIFICATE')] } });
    expect(kafkaSecurity({ KAFKA_SSL: true, KAFKA_SSL_CA_FILE: '/tls/ca.crt', KAFKA_SSL_CERT_FILE: '/tls/client.crt', KAFKA_SSL_KEY_FILE: '/tls/client.key' }, read)).toEqual({
      ssl: { ca: [PEM('CERTIFICATE')], cert: PEM('CERTIFICATE'), key: PEM('PRIVATE KEY') },
    });
  });

  it('maps each SASL mechanism with its credentials', () => {
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      expect(kafkaSecurity({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'shop', KAFKA_SASL_PASSWORD: 'pw' }, read)).toEqual({
        ssl: true,
        sasl: { mechanism, username: 'shop', password: 'pw' },
      });
    }
    // SASL over plain TCP (a trusted network): no TLS unless asked.
    expect(kafkaSecurity({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'shop', KAFKA_SASL_PASSWORD: 'pw' }, read)).toEqual({ sasl: { mechanism: 'plain', username: 'shop', password: 'pw' } });
  });

  it('names the variable of a file it cannot read', () => {
    expect(() => kafkaSecurity({ KAFKA_SSL_CA_FILE: '/tls/nope.crt' }, read)).toThrow('KAFKA_SSL_CA_FILE: cannot read /tls/nope.crt (ENOENT)');
    expect(() => kafkaSecurity({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'shop' }, read)).toThrow(/needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
  });
});
