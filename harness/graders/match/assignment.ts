/**
 * Bipartite matching for trajectory comparison: maximum-cardinality matching
 * (so no call is left unmatched when some assignment would match it, unlike
 * greedy first-fit), and a minimum-cost assignment that picks, among maximum
 * matchings, the one closest to the reference order.
 */

/**
 * Size of a maximum matching between `rows` and `columns` where
 * `compatible(r, c)` says which pairs may match (augmenting paths).
 */
export function maximumMatchingSize(rows: number, columns: number, compatible: (row: number, column: number) => boolean): number {
  // Each row compatible with its own column (calls in the same order): a perfect matching already.
  if (rows === columns) {
    let row = 0;
    while (row < rows && compatible(row, row)) row++;
    if (row === rows) return rows;
  }
  const owner = new Array<number>(columns).fill(-1);
  let size = 0;
  for (let row = 0; row < rows; row++) {
    const seen = new Array<boolean>(columns).fill(false);
    if (augment(row, seen, owner, compatible)) size += 1;
  }
  return size;
}

/** Looks for an augmenting path from `row`, taking columns from their `owner`s along it. */
function augment(row: number, seen: boolean[], owner: number[], compatible: (row: number, column: number) => boolean): boolean {
  for (let column = 0; column < owner.length; column++) {
    if (seen[column] || !compatible(row, column)) continue;
    seen[column] = true;
    if (owner[column] === -1 || augment(owner[column]!, seen, owner, compatible)) {
      owner[column] = row;
      return true;
    }
  }
  return false;
}

/**
 * Maximum matching with the smallest total cost among maximum matchings.
 * `cost(r, c)` is consulted only for compatible pairs and must lie in [0, 1).
 * Returns `[row, column]` pairs.
 */
export function bestMatching(
  rows: number,
  columns: number,
  compatible: (row: number, column: number) => boolean,
  cost: (row: number, column: number) => number,
): Array<[number, number]> {
  if (rows === 0 || columns === 0) return [];
  // One call on a side (the usual case, tool by tool): the cheapest compatible partner, with no matrix.
  if (rows === 1 || columns === 1) return cheapestSingle(rows, columns, compatible, cost);
  const allowed = new Uint8Array(rows * columns);
  const perRow = new Uint8Array(rows);
  const perColumn = new Uint8Array(columns);
  let shared = false;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      if (!compatible(row, column)) continue;
      allowed[row * columns + column] = 1;
      if (++perRow[row]! > 1 || ++perColumn[column]! > 1) shared = true;
    }
  }
  // No row or column with two compatible partners: those pairs are the only maximum matching.
  if (!shared) {
    const pairs: Array<[number, number]> = [];
    for (let index = 0; index < allowed.length; index++) if (allowed[index]) pairs.push([Math.floor(index / columns), index % columns]);
    return pairs;
  }
  // The Hungarian method assigns every row of a matrix with no more rows than
  // columns; incompatible pairs cost more than any sum of compatible costs, so
  // the optimum first maximises the number of compatible pairs.
  const transpose = rows > columns;
  const n = transpose ? columns : rows;
  const m = transpose ? rows : columns;
  const forbidden = n + 1;
  const matrix: number[][] = [];
  for (let i = 0; i < n; i++) {
    const line: number[] = [];
    for (let j = 0; j < m; j++) {
      const row = transpose ? j : i;
      const column = transpose ? i : j;
      line.push(allowed[row * columns + column] ? cost(row, column) : forbidden);
    }
    matrix.push(line);
  }
  const assigned = hungarian(matrix, n, m);
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const j = assigned[i]!;
    if (j < 0 || matrix[i]![j]! >= forbidden) continue;
    pairs.push(transpose ? [j, i] : [i, j]);
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

/** {@link bestMatching} when one side has a single element: its cheapest compatible partner (the first of equals). */
function cheapestSingle(
  rows: number,
  columns: number,
  compatible: (row: number, column: number) => boolean,
  cost: (row: number, column: number) => number,
): Array<[number, number]> {
  let best: [number, number] | null = null;
  let lowest = Infinity;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      if (!compatible(row, column)) continue;
      const price = cost(row, column);
      if (price < lowest) {
        lowest = price;
        best = [row, column];
      }
    }
  }
  return best ? [best] : [];
}

/** Minimum-cost assignment of each of `n` rows to a distinct one of `m >= n` columns. */
function hungarian(cost: number[][], n: number, m: number): number[] {
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(m + 1).fill(0);
  const p = new Array<number>(m + 1).fill(0);
  const way = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(m + 1).fill(Infinity);
    const used = new Array<boolean>(m + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const current = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (current < minv[j]!) {
          minv[j] = current;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assigned = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) assigned[p[j]! - 1] = j - 1;
  return assigned;
}

/** Length of the longest strictly increasing subsequence. */
export function longestIncreasingRun(values: readonly number[]): number {
  const tails: number[] = [];
  for (const value of values) {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (tails[middle]! < value) low = middle + 1;
      else high = middle;
    }
    tails[low] = value;
  }
  return tails.length;
}
