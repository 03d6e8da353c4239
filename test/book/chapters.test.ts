// Executing a chapter is its test (DESIGN.md): every `ts` cell runs in order in the tslab kernel's own
// executor, and a cell that throws, fails an `assert` or does not type-check fails the suite.
import { describe, expect, it } from 'vitest';
import { listChapters } from '../../scripts/chapter.mjs';
import { bookDir, chapterOutputsAsync, chapterRunner, environmentDigest } from '../../scripts/outputs.mjs';

const chapters = listChapters(bookDir);
const environment = environmentDigest();

describe.concurrent('every chapter runs green', () => {
  it('has chapters to run', () => {
    expect(chapters.length).toBeGreaterThan(0);
  });
  for (const chapter of chapters) {
    const name = chapter.slice(bookDir.length + 1);
    it(name, async () => {
      const report = await chapterOutputsAsync(chapter, { environment });
      const failure = report.failure
        ? `cell ${report.failure.cell + 1} failed:\n${report.failure.source}\n---\n${report.failure.message}`
        : '';
      expect(failure).toBe('');
      expect(report.ok).toBe(true);
      // Under MMM_CHAPTER_RUNNER=jupyter (CI) the chapter ran as its notebook, through Jupyter and tslab.
      expect(report.runner).toBe(chapterRunner());
    });
  }
});
