import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files of a throwaway CA, a server certificate for 127.0.0.1/localhost and a client certificate, made by openssl. */
export interface TestCertificates {
  dir: string;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** The server key and certificate in one file (what Kafka's PEM keystore reads). */
  serverKeystoreFile: string;
  ca: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A new CA and certificates signed by it, valid for two days, in a new directory (readable by other OS users: the servers run as theirs). */
export function makeTestCertificates(commonName = 'shop-test'): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'shop-tls-'));
  chmodSync(dir, 0o755);
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', `/CN=${commonName} CA`]);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  writeFileSync(join(dir, 'client.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [['server', 'localhost'], ['client', `${commonName}-client`]] as const) {
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`]);
  }
  const file = (name: string) => join(dir, name);
  writeFileSync(file('server-keystore.pem'), readFileSync(file('server.key'), 'utf8') + readFileSync(file('server.crt'), 'utf8'));
  for (const key of ['ca.key', 'server.key', 'client.key', 'server-keystore.pem']) chmodSync(file(key), 0o644); // a throwaway CA: servers under other users read them
  return {
    dir,
    caFile: file('ca.crt'),
    serverCertFile: file('server.crt'),
    serverKeyFile: file('server.key'),
    clientCertFile: file('client.crt'),
    clientKeyFile: file('client.key'),
    serverKeystoreFile: file('server-keystore.pem'),
    ca: readFileSync(file('ca.crt'), 'utf8'),
  };
}
