/**
 * True when `e` carries `marker` (a `Symbol.for` key set by an error's constructor). Every
 * error's `isInstance` uses it instead of `instanceof`, so an error thrown by another copy
 * of a package (two versions in one node_modules, a driver bundled on its own) is still
 * recognized. Each error class has its own marker, so `X.isInstance` is true only for an
 * X or a subclass of X.
 */
export function hasMarker(e: unknown, marker: symbol): boolean {
  return typeof e === "object" && e !== null && marker in e;
}
