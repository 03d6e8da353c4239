// The sidebar, built from the book's folders so that a new chapter appears without editing config:
// one group per part (folder, titled by its index.md), one link per chapter (titled by its first heading).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chapterTitle } from '../scripts/chapter.mjs';

export interface SidebarGroup {
  text: string;
  link?: string;
  collapsed?: boolean;
  items: { text: string; link: string }[];
}

export function bookSidebar(bookDir: string): SidebarGroup[] {
  const groups: SidebarGroup[] = [];
  for (const part of readdirSync(bookDir).sort()) {
    const dir = join(bookDir, part);
    if (part.startsWith('.') || part === 'public' || !statSync(dir).isDirectory()) continue;
    const index = join(dir, 'index.md');
    const title = existsSync(index) ? chapterTitle(readFileSync(index, 'utf8')) : null;
    const items = readdirSync(dir)
      .filter((f) => f.endsWith('.md') && f !== 'index.md')
      .sort()
      .map((f) => ({
        text: chapterTitle(readFileSync(join(dir, f), 'utf8')) ?? f.replace(/\.md$/, ''),
        link: `/${part}/${f.replace(/\.md$/, '')}`,
      }));
    groups.push({ text: title ?? part, ...(existsSync(index) ? { link: `/${part}/` } : {}), items });
  }
  return groups;
}
