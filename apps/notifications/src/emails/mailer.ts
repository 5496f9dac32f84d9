import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { NotificationsConfig } from '../config';

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** The Message-ID header, the same on every attempt of one e-mail. */
  messageId?: string;
}

/** The SMTP transport (content is the templates' business, not this one's). */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(private readonly config: NotificationsConfig) {
    const url = new URL(config.SMTP_URL);
    this.transport = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
      secure: url.protocol === 'smtps:',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      pool: true,
      // Batches of e-mails go out side by side: each connection carries one message at a time, and a message
      // waits on several SMTP round trips, so the pool, not the CPU, set the pace at 20 (ADR 0015).
      maxConnections: config.SMTP_MAX_CONNECTIONS,
      maxMessages: Infinity,
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 10_000,
    });
  }

  /** Resolves with the server's message id once the SMTP server accepted the message. */
  async send(email: OutgoingEmail): Promise<string> {
    // Quoted-printable named, not detected: nodemailer otherwise counts the Latin and the other characters
    // of every header and body with two regular expressions to choose (a sixth of its CPU per message), and
    // for the templates' languages the answer is quoted-printable anyway.
    const info = await this.transport.sendMail({ from: this.config.MAIL_FROM, ...email, textEncoding: 'quoted-printable' });
    return info.messageId;
  }

  async verify(): Promise<void> {
    await this.transport.verify();
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
