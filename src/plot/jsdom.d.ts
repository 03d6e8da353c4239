// The one part of jsdom that src/plot/node.ts uses. (@types/jsdom needs a newer TypeScript than the
// 5.0 that tslab, the notebooks' kernel, type-checks the library with.)
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string);
    readonly window: { readonly document: unknown };
  }
}
