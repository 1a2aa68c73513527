/** The workspace packages with a build script whose dist is missing or older than their sources (`root`: the workspace root). */
export function stalePackages(root?: string): string[];
/** Vitest global setup: rebuilds the stale packages, dependencies first. */
export default function setup(): void;
