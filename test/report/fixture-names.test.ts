import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentName, RENAMED, resolveFixture } from '../support/fixtures.ts';

/**
 * The fixtures are named after what they exercise; the shared copy keeps its sequence names. names.json maps
 * one to the other for the loader, the fixture README shows the same map to people: both must stay true.
 */
const OWN = path.join(import.meta.dirname, '..', 'fixtures');

describe('the fixture names', () => {
  it('every renamed seed, synthetic and Chromium fixture is here under its new name, with its truth', () => {
    // The scanned/ entries name the shared scans for when they are copied here.
    const here = Object.values(RENAMED).filter((name) => !name.startsWith('scanned/'));
    expect(here).toHaveLength(5 + 24 + 10);
    for (const name of here) expect(existsSync(path.join(OWN, `${name}.truth.json`)), name).toBe(true);
    for (const group of ['seeds', 'synthetic', 'chromium']) {
      for (const entry of readdirSync(path.join(OWN, group))) {
        expect(entry, `${group}/${entry} still has a sequence name`).not.toMatch(
          /^(seed-|synthetic-)?\d{3}[._]/,
        );
      }
    }
  });

  it('gives no two old names the same new one', () => {
    const targets = Object.values(RENAMED);
    expect(new Set(targets).size).toBe(targets.length);
  });

  it('the README tables list exactly the entries of names.json for the files here', () => {
    const readme = readFileSync(path.join(OWN, 'README.md'), 'utf8');
    const listed = Object.fromEntries(
      [...readme.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)].map((m) => [m[1], m[2]]),
    );
    const expected = Object.fromEntries(
      Object.entries(RENAMED).filter(([old]) => !old.startsWith('scanned/')),
    );
    expect(listed).toEqual(expected);
  });

  it('finds a fixture by its new name in a copy that keeps the old names, and each name maps back', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'old-names-'));
    mkdirSync(path.join(copy, 'synthetic'));
    mkdirSync(path.join(copy, 'seeds'));
    copyFileSync(
      path.join(OWN, 'synthetic', 'requests-balance-broken.txt'),
      path.join(copy, 'synthetic', '007.txt'),
    );
    copyFileSync(
      path.join(OWN, 'seeds', 'seed-zhenxing-2023-row-broken.source.pdf'),
      path.join(copy, 'seeds', '000_e40642799460f372.source.pdf'),
    );
    expect(resolveFixture(copy, 'synthetic/requests-balance-broken.txt')).toBe(
      path.join(copy, 'synthetic', '007.txt'),
    );
    expect(resolveFixture(copy, 'seeds/seed-zhenxing-2023-row-broken.source.pdf')).toBe(
      path.join(copy, 'seeds', '000_e40642799460f372.source.pdf'),
    );
    // Under neither name: the path under the new name, so a missing file is reported as missing.
    expect(resolveFixture(copy, 'synthetic/requests-balance-broken.pdf')).toBe(
      path.join(copy, 'synthetic', 'requests-balance-broken.pdf'),
    );
    expect(resolveFixture(OWN, 'synthetic/requests-balance-broken.txt')).toBe(
      path.join(OWN, 'synthetic', 'requests-balance-broken.txt'),
    );
    expect(currentName('synthetic/007.truth.json')).toBe('synthetic/requests-balance-broken.truth.json');
    expect(currentName('chromium/seed-002_7bf1580f9ef3f488.pdf')).toBe(
      'chromium/seed-kaiyuan-2023-review-cells-blank.pdf',
    );
    expect(currentName('real/hongze-2023.pdf')).toBe('real/hongze-2023.pdf');
  });
});
