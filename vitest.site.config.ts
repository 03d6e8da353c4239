import { defineConfig } from 'vitest/config';

// The site's tests run after the main suite (`npm test` runs both): they build the site from the chapter
// outputs the main suite has just cached, then visit every page in a real browser.
export default defineConfig({
  test: {
    include: ['test/site/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 900_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
