import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository's own Markdown pages (README.md and docs/*.md) and what their relative links and images
 * point at, read as GitHub renders them, so a moved or renamed page or heading shows up as a broken link.
 */
export const REPO_ROOT = path.join(import.meta.dirname, '..', '..');

/** README.md and every docs/*.md, as paths from `root`. */
export function markdownFiles(root = REPO_ROOT): string[] {
  const docs = existsSync(path.join(root, 'docs'))
    ? readdirSync(path.join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((f) => `docs/${f}`)
    : [];
  return ['README.md', ...docs];
}

/** Fenced code blocks blanked out line for line, so nothing inside them counts and line numbers hold. */
function withoutFences(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const mark = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && mark !== undefined) {
      fence = mark;
      return '';
    }
    if (fence !== null) {
      if (mark !== undefined && mark[0] === fence[0] && mark.length >= fence.length) fence = null;
      return '';
    }
    return line;
  });
}

const withoutCodeSpans = (line: string) => line.replace(/``[^`]*``|`[^`]*`/g, '');

/**
 * GitHub's anchor for a heading (github-slugger): the rendered text lower-cased, every character that is
 * not a letter, mark, number, connector, space or hyphen dropped (CJK ideographs are letters and stay),
 * spaces made hyphens.
 */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link or image renders as its text
    .replace(/<[^>]+>/g, '') // inline HTML renders as its content
    .replace(/`/g, '')
    .replace(/\*+/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a page offers: its headings' slugs (a repeated slug gets -1, -2, … as on GitHub). */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of withoutFences(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

export interface Link {
  target: string;
  line: number;
  image: boolean;
}

/** The links and images of a page outside code: Markdown `[text](target)`, `![alt](target)`, HTML src/href. */
export function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  withoutFences(markdown).forEach((raw, i) => {
    const line = withoutCodeSpans(raw);
    for (const m of line.matchAll(/(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ target: m[2] ?? '', line: i + 1, image: m[1] === '!' });
    }
    for (const m of line.matchAll(/<(img|a)\s[^>]*?(?:src|href)="([^"]+)"/gi)) {
      links.push({ target: m[2] ?? '', line: i + 1, image: m[1]?.toLowerCase() === 'img' });
    }
  });
  return links;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/**
 * What is wrong with the relative links and images of `file` (a path from `root`): a target that does not
 * exist, leaves the repository, or names a heading its page does not have. Empty when all resolve.
 */
export function brokenLinks(file: string, root = REPO_ROOT): string[] {
  const source = path.join(root, file);
  const markdown = readFileSync(source, 'utf8');
  const problems: string[] = [];
  for (const { target, line, image } of linksOf(markdown)) {
    if (isExternal(target)) continue;
    const where = `${file}:${line} ${image ? 'image' : 'link'} ${target}`;
    const hash = target.indexOf('#');
    const pathPart = decodeURI(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
    if (pathPart.startsWith('/')) {
      problems.push(`${where}: an absolute path leaves the repository on GitHub`);
      continue;
    }
    const resolved = pathPart === '' ? source : path.resolve(path.dirname(source), pathPart);
    const fromRoot = path.relative(root, resolved);
    if (fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) {
      problems.push(`${where}: outside the repository`);
      continue;
    }
    if (!existsSync(resolved)) {
      problems.push(`${where}: no such file`);
      continue;
    }
    if (anchor === null) continue;
    if (statSync(resolved).isFile() && resolved.endsWith('.md')) {
      if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
        problems.push(`${where}: no heading #${anchor} in ${fromRoot}`);
      }
    } else if (!/^L\d+(-L\d+)?$/.test(anchor)) {
      problems.push(`${where}: #${anchor} names no line of ${fromRoot}`);
    }
  }
  return problems;
}
