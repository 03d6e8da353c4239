import { defineConfig } from 'vitepress';
import { fileURLToPath } from 'node:url';
import { cellOutputs } from './cells';
import { bookSidebar } from './sidebar';

const bookDir = fileURLToPath(new URL('../book', import.meta.url));

export default defineConfig({
  title: 'MMM from First Principles',
  description: 'Marketing mix modeling from first principles: a book and the TypeScript library it builds',
  srcDir: 'book',
  cleanUrls: true,
  lastUpdated: false,
  markdown: {
    math: true,
    config: (md) => cellOutputs(md),
  },
  themeConfig: {
    nav: [
      { text: 'Book', link: '/' },
      { text: 'Workshop', link: '/workshop/' },
    ],
    sidebar: bookSidebar(bookDir),
    search: { provider: 'local' },
    outline: [2, 3],
  },
  vite: {
    // The library is bundled into pages for the interactive widgets; it must stay isomorphic.
    server: { fs: { allow: ['..'] } },
  },
});
