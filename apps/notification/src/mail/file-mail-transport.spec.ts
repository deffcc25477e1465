import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { FileMailTransport, type OutgoingMail } from './mail-transport';

const mail = (id: string): OutgoingMail => ({
  id,
  to: 'ada@example.com',
  subject: 'Your order is confirmed',
  text: 'Thank you',
  html: '<p>Thank you</p>',
  language: 'en',
  type: 'order.confirmed',
});

describe('FileMailTransport', () => {
  let root: string;
  beforeEach(async () => (root = await mkdtemp(join(tmpdir(), 'mail-'))));
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('makes its folder on the first mail and again after the folder was removed, and leaves no partial file', async () => {
    const dir = join(root, 'data', 'mail');
    const transport = new FileMailTransport(dir, 'shop@example.com', pino({ level: 'silent' }));

    await transport.send(mail('00000000-0000-4000-8000-000000000001'));
    await rm(join(root, 'data'), { recursive: true });
    await transport.send(mail('00000000-0000-4000-8000-000000000002'));
    transport.close();

    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/-order\.confirmed-00000000-0000-4000-8000-000000000002\.eml$/);
    const eml = await readFile(join(dir, files[0]!), 'utf8');
    expect(eml).toContain('Message-ID: <00000000-0000-4000-8000-000000000002@notification.shop>');
    expect(eml).toContain('Subject: Your order is confirmed');
  });
});
