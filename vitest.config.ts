import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/site runs in a second pass (vitest.site.config.ts), once every chapter's outputs are cached.
    exclude: ['test/site/**', 'node_modules/**'],
    // Chapters and notebooks run in child processes that may take a while on a 2-core machine.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
