// Preloaded into a service (`NODE_OPTIONS=--require bench/cpu-profile.js`;
// Node refuses `--cpu-prof` there) to record a CPU profile: it starts after
// PROFILE_DELAY_MS (default 0), lasts PROFILE_MS (default 30 s) and is written
// to PROFILE_DIR as <service>-<pid>.cpuprofile (open it in Chrome DevTools or
// summarize it with bench/profile-summary.js).
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.PROFILE_DIR;
if (dir) {
  const service = process.argv[2] ?? 'node';
  const session = new Session();
  session.connect();
  setTimeout(() => {
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 100 }, () =>
        session.post('Profiler.start', () => {
          setTimeout(() => {
            session.post('Profiler.stop', (error, result) => {
              if (!error) writeFileSync(join(dir, `${service}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
              session.disconnect();
            });
          }, Number(process.env.PROFILE_MS ?? 30_000)).unref();
        }),
      ),
    );
  }, Number(process.env.PROFILE_DELAY_MS ?? 0)).unref();
}
