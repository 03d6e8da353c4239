// Timing helpers for the benchmarks: the median of repeated runs after a warm-up, so that the JIT and
// garbage collector weigh the same on both sides of a ratio.
export interface Timing {
  medianMs: number;
  runs: number;
}

export function time(fn: () => unknown, { warmup = 2, minRuns = 5, minMs = 1000 } = {}): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)], runs: samples.length };
}

export function report(label: string, ours: Timing, peer: Timing, peerName: string): void {
  const ratio = peer.medianMs / ours.medianMs;
  console.log(
    `${label}: ours ${ours.medianMs.toFixed(2)} ms, ${peerName} ${peer.medianMs.toFixed(2)} ms ` +
      `(median of ${ours.runs} and ${peer.runs} runs) → ${ratio >= 1 ? `${ratio.toFixed(2)}× faster` : `${(1 / ratio).toFixed(2)}× slower`}`,
  );
}
