// A worker process survives its MongoDB going away and coming back on the same address: it says so
// in the log while the database is unreachable, reconnects by itself, and the jobs carry on.
// The database here is a jongodb we stop and start again; it is in memory, so it comes back empty,
// and the worker must also put its job schedules back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, RestartableJongodb, startApp } from './processes.js';

let mongo: RestartableJongodb;
beforeAll(async () => {
  mongo = new RestartableJongodb(await freePort());
  await mongo.start();
});
afterAll(async () => {
  await mongo.stop();
});

describe('MongoDB restart', () => {
  it('logs the outage, reconnects, restores the schedules, and runs jobs again', async () => {
    const app = startApp({ ROLE: 'worker', MONGODB_URI: mongo.uri, MONGODB_DB_NAME: 'restart_test', LOG_LEVEL: 'debug', NODE_ENV: 'test' });
    await app.waitForLine('the first sweep', (l) => l.msg === 'Job started' && l.job === 'rollover-sweep', 30_000);

    await mongo.stop();
    const down = await app.waitForLine('the outage to be logged', (l) => l.msg === 'MongoDB is unreachable; retrying. Requests and jobs that need it fail until it is back');
    expect(down.level).toBe(50);
    // Long enough for the worker to poll for jobs against the missing database a few times.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const sweepsBefore = app.lines.filter((l) => l.msg === 'Job started' && l.job === 'rollover-sweep').length;

    await mongo.start();
    const back = await app.waitForLine('the reconnect', (l) => l.msg === 'MongoDB is reachable again; carrying on');
    const restored = await app.waitForLine('schedules restored', (l) => l.msg === 'Job schedules were missing after MongoDB came back; restored them');
    expect(restored.jobs).toEqual(['rollover-sweep', 'reconciliation', 'retention']);
    // (The restored sweep may start before or after that line is written.)
    await app.waitForLine('a sweep after the restart', (l) => l.msg === 'Job started' && l.job === 'rollover-sweep' && app.lines.indexOf(l) > app.lines.indexOf(back), 20_000);
    expect(app.lines.filter((l) => l.msg === 'Job started' && l.job === 'rollover-sweep').length).toBeGreaterThan(sweepsBefore);

    // Still the same process, and it still stops cleanly.
    app.signal('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.lines.some((l) => l.msg === 'Budget Bot failed to start' || l.level === 60)).toBe(false);
  }, 90_000);
});
