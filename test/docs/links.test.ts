import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anchorsOf, brokenLinks, githubSlug, markdownFiles, REPO_ROOT } from '../support/markdown.ts';

describe('the documentation links', () => {
  it('every relative link and image in README.md and docs/*.md resolves, headings included', () => {
    expect(markdownFiles().flatMap((file) => brokenLinks(file))).toEqual([]);
  });

  it('the README stays within 250 lines and links every docs/ page, the deploy guide on its first screen', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const page of markdownFiles().filter((f) => f.startsWith('docs/'))) {
      expect(readme, page).toContain(`](${page}`);
    }
    const firstScreen = readme.split('\n').slice(0, 40).join('\n');
    expect(firstScreen).toContain('](docs/deploy.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  });
});

describe('the link checker', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'links-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('makes anchors as GitHub does: lower case, spaces to hyphens, punctuation dropped, CJK kept', () => {
    expect(githubSlug('Speed and cost (`npm run bench`)')).toBe('speed-and-cost-npm-run-bench');
    expect(githubSlug('Supervision: the tree, the status of a year, the page')).toBe(
      'supervision-the-tree-the-status-of-a-year-the-page',
    );
    expect(githubSlug('Table 三 `requests`')).toBe('table-三-requests');
    expect(githubSlug('The CLI against raw pdf.js')).toBe('the-cli-against-raw-pdfjs');
    expect(githubSlug('第三部分：申请（收到、处理）')).toBe('第三部分申请收到处理');
    expect([...anchorsOf('# A\n\n## Notes\n\n```\n# not a heading\n```\n\n## Notes\n')]).toEqual([
      'a',
      'notes',
      'notes-1',
    ]);
  });

  it('reports a missing file, a missing heading, a missing image and a path out of the repository', () => {
    mkdirSync(path.join(root, 'docs'), { recursive: true });
    writeFileSync(path.join(root, 'docs', 'a.md'), '# Page A\n\n## Known part\n');
    writeFileSync(path.join(root, 'docs', 'shot.png'), '');
    writeFileSync(
      path.join(root, 'README.md'),
      [
        '# Front',
        '[fine](docs/a.md#known-part) [fine too](docs/a.md) ![fine](docs/shot.png) [here](#front)',
        '[gone](docs/b.md) [no heading](docs/a.md#unknown-part) ![no image](docs/none.png)',
        '[outside](../shared/template.md) [web](https://example.com/x) `[in code](nowhere.md)`',
        '```',
        '[in a fence](nowhere.md)',
        '```',
      ].join('\n'),
    );
    expect(brokenLinks('README.md', root)).toEqual([
      'README.md:3 link docs/b.md: no such file',
      'README.md:3 link docs/a.md#unknown-part: no heading #unknown-part in docs/a.md',
      'README.md:3 image docs/none.png: no such file',
      'README.md:4 link ../shared/template.md: outside the repository',
    ]);
    expect(markdownFiles(root)).toEqual(['README.md', 'docs/a.md']);
  });
});
