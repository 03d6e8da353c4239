// The in-page fit's worker: samples the example MMM with the library's NUTS (`fitMMM`), chains one after
// another, posting progress so that the page stays responsive and shows a progress bar. Same seed, same
// draws (src/random streams).
import { runFit, type FitRequest, type FitMessage } from './fit';
import { exampleColumns } from './example';

const scope = self as unknown as {
  postMessage(message: FitMessage): void;
  onmessage: ((event: { data: FitRequest }) => void) | null;
};

scope.onmessage = (event) => {
  try {
    const result = runFit(exampleColumns, event.data, (p) => scope.postMessage({ type: 'progress', ...p }));
    scope.postMessage({ type: 'done', result });
  } catch (e) {
    scope.postMessage({ type: 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
};
