import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort, waitFor } from './ports';

export interface TestSmtp {
  url: string;
  /** Every message accepted so far, parsed (unless started with `parse: false`). */
  messages: ParsedMail[];
  /** How many messages were accepted. */
  accepted: number;
  /** While true, every message is refused with a transient 451. */
  failing: boolean;
  /** Messages received and not yet answered while held. */
  waiting: number;
  /** Holds the answer to every message from now on (the sender waits after DATA) until the returned release is called. */
  hold(): () => void;
  waitForMessage(predicate: (mail: ParsedMail) => boolean, what?: string): Promise<ParsedMail>;
  close(): Promise<void>;
}

/** A real SMTP server in the test process (the `smtp-server` package), with the mail parsed. */
export async function startTestSmtp({ parse = true } = {}): Promise<TestSmtp> {
  const port = await freePort();
  const smtp: TestSmtp = {
    url: `smtp://127.0.0.1:${port}`,
    messages: [],
    accepted: 0,
    failing: false,
    waiting: 0,
    hold() {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
    waitForMessage: (predicate, what = 'an e-mail') =>
      waitFor(async () => smtp.messages.find(predicate), { timeoutMs: 20_000, what }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  let gate: Promise<void> | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      if (smtp.failing) {
        stream.resume();
        const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
        stream.on('end', () => callback(error));
        return;
      }
      if (!parse) {
        stream.on('end', () => {
          smtp.accepted += 1;
          callback();
        });
        stream.resume();
        return;
      }
      simpleParser(stream).then(
        async (mail) => {
          if (gate) {
            smtp.waiting += 1;
            await gate;
            smtp.waiting -= 1;
          }
          smtp.messages.push(mail);
          smtp.accepted += 1;
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  // A sender killed mid-message resets its connection: that is the sender's fault to survive, not the server's.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return smtp;
}

/** The invitation token in an e-mail's link. */
export function invitationTokenOf(mail: ParsedMail): string {
  const match = /\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '');
  if (!match) throw new Error(`no invitation link in: ${mail.text}`);
  return match[1];
}
