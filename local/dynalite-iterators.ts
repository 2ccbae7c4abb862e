import { createRequire } from 'node:module';

/**
 * dynalite turns LevelDB iterators into streams and, when a stream ends or is destroyed, closes the
 * iterator with `iterator.return()`, which abstract-level 3's iterators do not have (they have `close()`).
 * So every Query and Scan left its iterator open: LevelDB keeps an open iterator and its snapshot alive,
 * and the database keeps every open iterator in its resources to close them at the end, so `--serve`
 * grew with each read and never gave it back (issue 22 N9: 5,000 GETs, +193 MB). `return()` is given to
 * them here as the async-iterator protocol means it: close the iterator. Applied once, before dynalite
 * opens its store.
 */
interface IteratorPrototype {
  close(): Promise<void>;
  return?: () => Promise<void>;
}

let applied = false;

export function closeDynaliteIterators(): void {
  if (applied) return;
  applied = true;
  // abstract-level as dynalite's two stores resolve it (memory-level; level's classic-level).
  const dynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const memory = dynalite.resolve('memory-level');
  const classic = createRequire(dynalite.resolve('level')).resolve('classic-level');
  const levels = new Set(
    [memory, classic].map(
      (store) => createRequire(store)('abstract-level') as Record<string, { prototype: IteratorPrototype }>,
    ),
  );
  for (const level of levels) patch(level);
}

function patch(level: Record<string, { prototype: IteratorPrototype }>): void {
  for (const name of ['AbstractIterator', 'AbstractKeyIterator', 'AbstractValueIterator']) {
    const proto = level[name]?.prototype;
    if (proto === undefined || typeof proto.return === 'function') continue;
    Object.defineProperty(proto, 'return', {
      configurable: true,
      writable: true,
      value(this: IteratorPrototype) {
        return this.close();
      },
    });
  }
}
