/**
 * The skew of a scanned page: the angle at which the ink's rows line up best. Text lines and ruling
 * lines both make the horizontal projection of the ink peaky when the page is straight; the angle that
 * maximises the sum of squared row counts is the page's skew (the classic projection-profile method).
 */
const COARSE_RANGE_DEG = 5;
const COARSE_STEP_DEG = 0.1;
const FINE_STEP_DEG = 0.02;
const MAX_SAMPLES = 150_000;

export function estimateSkew(ink: Uint8Array, width: number, height: number): number {
  // A sample of ink pixels, evenly spread, keeps the search cheap on a 300 dpi page.
  let count = 0;
  for (let i = 0; i < ink.length; i++) count += ink[i] ?? 0;
  if (count < 100) return 0;
  const stride = Math.max(1, Math.floor(count / MAX_SAMPLES));
  const xs: number[] = [];
  const ys: number[] = [];
  let k = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] && k++ % stride === 0) {
        xs.push(x - width / 2);
        ys.push(y);
      }
    }
  }
  const bins = new Float64Array(height * 2 + 16);
  const score = (deg: number): number => {
    const t = Math.tan((deg * Math.PI) / 180);
    bins.fill(0);
    const shift = height / 2 + 8;
    for (let i = 0; i < xs.length; i++) {
      const b = Math.round((ys[i] ?? 0) - (xs[i] ?? 0) * t + shift);
      if (b >= 0 && b < bins.length) bins[b] = (bins[b] ?? 0) + 1;
    }
    let s = 0;
    for (let i = 0; i < bins.length; i++) s += (bins[i] ?? 0) ** 2;
    return s;
  };
  let best = 0;
  let bestScore = -1;
  for (let d = -COARSE_RANGE_DEG; d <= COARSE_RANGE_DEG + 1e-9; d += COARSE_STEP_DEG) {
    const s = score(d);
    if (s > bestScore) {
      bestScore = s;
      best = d;
    }
  }
  const centre = best;
  for (let d = centre - COARSE_STEP_DEG; d <= centre + COARSE_STEP_DEG + 1e-9; d += FINE_STEP_DEG) {
    const s = score(d);
    if (s > bestScore) {
      bestScore = s;
      best = d;
    }
  }
  return best;
}
