// One MongoDB for the whole run (globalSetup); each test file takes a fresh database on it.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/globalSetup.ts'],
    // Integration tests talk to a real server process; the default 5 s is tight on a slow CI box.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // No test may be marked .only and slip through CI with the rest silently skipped.
    allowOnly: false,
  },
});
