import { defineConfig } from 'vitepress';
import { fileURLToPath } from 'node:url';
import { cellOutputs } from './cells';
import { bookSidebar } from './sidebar';

const bookDir = fileURLToPath(new URL('../book', import.meta.url));

// The book's parts first, then the interactive figures and the workshop guide (their folders would
// otherwise sort among the parts).
const extras = ['Interactive figures', 'Workshop guide'];
const sidebar = bookSidebar(bookDir);
const orderedSidebar = [
  ...sidebar.filter((g) => !extras.includes(g.text)),
  ...extras.flatMap((name) => sidebar.filter((g) => g.text === name)),
];

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
      { text: 'Interactive', link: '/interactive/' },
      { text: 'Workshop', link: '/workshop/' },
    ],
    sidebar: orderedSidebar,
    search: { provider: 'local' },
    outline: [2, 3],
  },
  vite: {
    // The library is bundled into pages for the interactive widgets; it must stay isomorphic.
    server: { fs: { allow: ['..'] } },
    // The in-page fit samples in a Web Worker that imports the library: ES module workers allow the
    // code splitting that the default IIFE format refuses.
    worker: { format: 'es' },
  },
});
