// Worker-thread entry of src/sample/node.ts (Node-only; named apart from node.ts so that the import
// './sample/node' stays unambiguous for ESM resolvers): runs the chains it is sent, one at a time. The library is TypeScript and tslab
// compiles it to CommonJS, so this entry is plain JavaScript and registers tsx's loader, which lets it
// import the library's .ts sources and the caller's target module (TypeScript or JavaScript).
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { runModule, targetModule, exportName, data, sampler, options } = workerData;
const toUrl = (spec) => (/^[a-z]+:/i.test(spec) ? spec : pathToFileURL(spec).href);

// The modules are imported and the target is built once per worker (starting one costs about half a
// second of transpiling and loading), then the worker runs every chain the parent sends, one after another,
// until it is told to stop: as `nuts` runs all its chains on one target. One target also keeps the
// sampler's call sites monomorphic; a fresh target per chain made later chains about 30% slower.
const loaded = (async () => {
  const { runChain } = await import(toUrl(runModule));
  const { reportedNames } = await import(toUrl(runModule.replace(/run\.ts$/, 'target.ts')));
  const mod = await import(toUrl(targetModule));
  const factory = mod[exportName] ?? mod.default?.[exportName];
  if (typeof factory !== 'function') {
    throw new Error(`${targetModule} has no export '${exportName}' that is a function (data) => Target`);
  }
  const target = factory(data);
  return { runChain, names: reportedNames(target), target };
})();

parentPort.on('message', async (message) => {
  if (message.type === 'stop') {
    parentPort.close();
    return;
  }
  const { chain } = message;
  try {
    const { runChain, names, target } = await loaded;
    const onProgress = options.progress ? (progress) => parentPort.postMessage({ type: 'progress', progress }) : undefined;
    const result = runChain(sampler, target, { ...options, onProgress }, chain);
    const transfer = Object.values(result)
      .filter((v) => ArrayBuffer.isView(v))
      .map((v) => v.buffer);
    parentPort.postMessage({ type: 'done', chain, result, parameterNames: names }, transfer);
  } catch (error) {
    parentPort.postMessage({ type: 'error', chain, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
