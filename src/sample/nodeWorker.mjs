// Worker-thread entry of src/sample/node.ts (Node-only; named apart from node.ts so that the import
// './sample/node' stays unambiguous for ESM resolvers): runs one chain. The library is TypeScript and tslab
// compiles it to CommonJS, so this entry is plain JavaScript and registers tsx's loader, which lets it
// import the library's .ts sources and the caller's target module (TypeScript or JavaScript).
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { runModule, targetModule, exportName, data, sampler, options, chain } = workerData;
const toUrl = (spec) => (/^[a-z]+:/i.test(spec) ? spec : pathToFileURL(spec).href);
try {
  const { runChain } = await import(toUrl(runModule));
  const { reportedNames } = await import(toUrl(runModule.replace(/run\.ts$/, 'target.ts')));
  const mod = await import(toUrl(targetModule));
  const factory = mod[exportName] ?? mod.default?.[exportName];
  if (typeof factory !== 'function') {
    throw new Error(`${targetModule} has no export '${exportName}' that is a function (data) => Target`);
  }
  const target = factory(data);
  const onProgress = options.progress ? (progress) => parentPort.postMessage({ type: 'progress', progress }) : undefined;
  const result = runChain(sampler, target, { ...options, onProgress }, chain);
  const transfer = Object.values(result)
    .filter((v) => ArrayBuffer.isView(v))
    .map((v) => v.buffer);
  parentPort.postMessage({ type: 'done', result, parameterNames: reportedNames(target) }, transfer);
} catch (error) {
  parentPort.postMessage({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}
