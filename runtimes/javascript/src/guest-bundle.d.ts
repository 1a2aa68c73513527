/** A guest file bundled with its npm imports into one script (see build/guest-bundle.js). */
declare module "*?guest-bundle" {
  const source: string;
  export default source;
}
