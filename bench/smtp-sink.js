// The benchmarks' SMTP server, in a process of its own: a mail server is not
// the load generator's event loop. Accepts every message (the `smtp-server`
// package, as the tests' sink) and prints "ready" once listening on PORT.
const { SMTPServer } = require('smtp-server');

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('end', () => callback());
    stream.resume();
  },
});
server.on('error', () => undefined);
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
