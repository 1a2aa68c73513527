/**
 * `formatCount(1234567)` → `"1,234,567"`: the count rounded to an integer, digits grouped
 * by commas, as `toLocaleString("en-US")` writes it — without Intl, whose first
 * use in a process loads ICU number data and blocks the event loop for ~70 ms (measured on
 * Node 20; it was the largest main-thread cost of a process's first execute).
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // `|| 0`: negative zero is written "0" (toLocaleString writes "-0").
  return (Math.round(n) || 0).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
