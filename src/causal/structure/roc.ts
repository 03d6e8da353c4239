/**
 * ROC curves and the area under them (AUROC) for scoring recovered edges against a known graph.
 * AUROC = P(score of a random true edge > score of a random non-edge) + ½ P(tie): the Mann-Whitney U
 * statistic divided by (positives × negatives) (Hanley & McNeil 1982). Taught in the chapter
 * "Learning causal structure".
 */
import { DimensionMismatchError, InvalidInputError } from '../../errors';

function readScored(scores: ArrayLike<number>, labels: ArrayLike<boolean | number>): { s: number[]; y: boolean[] } {
  if (scores.length !== labels.length) {
    throw new DimensionMismatchError('labels', `has ${labels.length} entries but scores has ${scores.length}`);
  }
  const s: number[] = [], y: boolean[] = [];
  for (let k = 0; k < scores.length; k++) {
    const v = scores[k];
    if (Number.isNaN(v)) throw new InvalidInputError('scores', `entry ${k} is NaN`);
    const l = labels[k];
    if (l !== true && l !== false && l !== 0 && l !== 1) throw new InvalidInputError('labels', `entry ${k} is ${String(l)}; expected true/false or 1/0`);
    s.push(v);
    y.push(l === true || l === 1);
  }
  const positives = y.filter(Boolean).length;
  if (positives === 0 || positives === y.length) {
    throw new InvalidInputError('labels', 'needs at least one positive and one negative; the AUROC is undefined otherwise');
  }
  return { s, y };
}

/**
 * The area under the ROC curve, ties counted one half (midranks). Taught in the chapter "Learning causal structure".
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<boolean | number>): number {
  const { s, y } = readScored(scores, labels);
  const order = s.map((_, k) => k).sort((a, b) => s[a] - s[b]);
  // Midranks: tied scores share the mean of the ranks they span.
  const rank = new Array<number>(s.length);
  for (let a = 0; a < order.length;) {
    let b = a;
    while (b + 1 < order.length && s[order[b + 1]] === s[order[a]]) b++;
    const mid = (a + b) / 2 + 1;
    for (let k = a; k <= b; k++) rank[order[k]] = mid;
    a = b + 1;
  }
  let rankSum = 0, positives = 0;
  for (let k = 0; k < s.length; k++) if (y[k]) { rankSum += rank[k]; positives++; }
  const negatives = s.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface RocPoint {
  /** Score threshold: an edge is predicted when score ≥ threshold. */
  readonly threshold: number;
  readonly falsePositiveRate: number;
  readonly truePositiveRate: number;
}

/**
 * The ROC curve: one point per distinct score (highest first), from (0, 0) to (1, 1); tied scores move
 * the curve diagonally, which is why the trapezoid area under it equals `auroc`.
 * Taught in the chapter "Learning causal structure".
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<boolean | number>): RocPoint[] {
  const { s, y } = readScored(scores, labels);
  const P = y.filter(Boolean).length, N = y.length - P;
  const order = s.map((_, k) => k).sort((a, b) => s[b] - s[a]);
  const points: RocPoint[] = [{ threshold: Infinity, falsePositiveRate: 0, truePositiveRate: 0 }];
  let tp = 0, fp = 0;
  for (let a = 0; a < order.length;) {
    let b = a;
    while (b + 1 < order.length && s[order[b + 1]] === s[order[a]]) b++;
    for (let k = a; k <= b; k++) (y[order[k]] ? tp++ : fp++);
    points.push({ threshold: s[order[a]], falsePositiveRate: fp / N, truePositiveRate: tp / P });
    a = b + 1;
  }
  return points;
}

/**
 * Flattens a score matrix and a true adjacency matrix (entry [i][j] for the edge i → j) into the
 * off-diagonal pairs, optionally only those allowed by `candidate` (e.g. excluding edges out of the
 * outcome). Taught in the chapter "Learning causal structure".
 */
export function edgeScores(
  score: readonly (readonly number[])[], adjacency: readonly (readonly (boolean | number)[])[],
  candidate?: (i: number, j: number) => boolean,
): { scores: number[]; labels: boolean[] } {
  const K = adjacency.length;
  if (score.length !== K) throw new DimensionMismatchError('score', `has ${score.length} rows but adjacency has ${K}`);
  const scores: number[] = [], labels: boolean[] = [];
  for (let i = 0; i < K; i++) {
    if (score[i].length !== K || adjacency[i].length !== K) throw new DimensionMismatchError(`score[${i}]`, `expected ${K} columns`);
    for (let j = 0; j < K; j++) {
      if (i === j || (candidate && !candidate(i, j))) continue;
      scores.push(score[i][j]);
      labels.push(adjacency[i][j] === true || adjacency[i][j] === 1);
    }
  }
  return { scores, labels };
}

/**
 * AUROC of a score matrix against the true adjacency, over off-diagonal pairs (and `candidate` pairs).
 * Taught in the chapter "Learning causal structure".
 */
export function edgeAUROC(
  score: readonly (readonly number[])[], adjacency: readonly (readonly (boolean | number)[])[],
  candidate?: (i: number, j: number) => boolean,
): number {
  const { scores, labels } = edgeScores(score, adjacency, candidate);
  return auroc(scores, labels);
}
