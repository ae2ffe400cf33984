import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // yeoman-test chdirs into temp dirs: process forks, never worker threads.
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
