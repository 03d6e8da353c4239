// Module kinds Vite resolves for the widgets: raw text (`?raw`) and Vue single-file components.
declare module '*?raw' {
  const text: string;
  export default text;
}
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
