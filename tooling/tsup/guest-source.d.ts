/**
 * A guest-code file imported as text (`import src from "../guest/state.rb?raw"`): inlined
 * by tsup's raw-text plugin in builds and by vite's own `?raw` under vitest.
 */
declare module "*?raw" {
  const source: string;
  export default source;
}
