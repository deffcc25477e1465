import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, LOGGER, ShutdownSequence } from '@shop/service-kit';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { NotificationConfig } from '../config';

export interface OutgoingMail {
  /** The delivery's id: the Message-ID is made from it, so a resend after a crash can be recognised. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  language: string;
  type: string;
}

/** Where mail goes: an SMTP server, or .eml files for the embedded default. */
export interface MailTransport {
  /** What it is, for the logs ("smtp://mail:587", "files in .data/mail"). */
  readonly description: string;
  /** Resolves once the mail is accepted (by the SMTP server, or written); rejects otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

function message(from: string, mail: OutgoingMail) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: `<${mail.id}@notification.shop>`,
    headers: { 'Content-Language': mail.language, 'X-Shop-Notification': mail.type },
  };
}

/** SMTP through nodemailer: pooled connections, STARTTLS when the server offers it, timeouts on every step. */
export class SmtpMailTransport implements MailTransport {
  readonly description: string;
  private readonly transporter: Transporter;

  constructor(
    url: string,
    private readonly from: string,
    options: { timeoutMs: number; maxConnections: number },
  ) {
    const parsed = new URL(url);
    // Credentials never reach the logs.
    this.description = `${parsed.protocol}//${parsed.host}`;
    this.transporter = createTransport({
      url,
      pool: true,
      maxConnections: options.maxConnections,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    } as Parameters<typeof createTransport>[0]);
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail(message(this.from, mail));
  }

  close(): void {
    this.transporter.close();
  }
}

/** Each mail as an .eml file (RFC 822, as an SMTP server would get it), for the embedded default. */
export class FileMailTransport implements MailTransport {
  readonly description: string;
  private readonly transporter: Transporter;
  private readonly dir: string;

  constructor(
    dir: string,
    private readonly from: string,
    private readonly logger: Logger,
  ) {
    this.dir = resolve(dir);
    this.description = `.eml files in ${this.dir}`;
    this.transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = (await this.transporter.sendMail(message(this.from, mail))) as { message: Buffer };
    const file = join(this.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.type}-${mail.id}.eml`);
    // The folder is made when a write finds it missing (first mail, or someone emptied .data), not
    // before every mail: a recursive mkdir per mail was 4 % of this service's CPU in a checkout profile.
    await writeFile(`${file}.tmp`, info.message).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      await mkdir(this.dir, { recursive: true });
      await writeFile(`${file}.tmp`, info.message);
    });
    // Written whole or not at all: a reader never sees half a mail.
    await rename(`${file}.tmp`, file);
    this.logger.info({ to: mail.to, subject: mail.subject, file }, 'mail written');
  }

  close(): void {
    this.transporter.close();
  }
}

/** SMTP_URL's server, or .eml files under MAIL_DIR without it (said at start); closed with the other clients. */
export const mailTransportProvider: FactoryProvider<MailTransport> = {
  provide: MAIL_TRANSPORT,
  inject: [APP_CONFIG, LOGGER, ShutdownSequence],
  useFactory: (config: NotificationConfig, logger: Logger, shutdown: ShutdownSequence) => {
    const transport = config.SMTP_URL
      ? new SmtpMailTransport(config.SMTP_URL, config.MAIL_FROM, { timeoutMs: config.SMTP_TIMEOUT_MS, maxConnections: config.EMAIL_CONCURRENCY })
      : new FileMailTransport(config.MAIL_DIR, config.MAIL_FROM, logger);
    logger.info({ transport: transport.description, from: config.MAIL_FROM }, config.SMTP_URL ? 'mail goes over SMTP' : 'no SMTP_URL: mail is written as .eml files');
    shutdown.add('clients', 'mail transport', () => transport.close());
    return transport;
  },
};
