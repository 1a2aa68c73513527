// structuredClone over @ungap/structured-clone (ISC): its serialize/deserialize pair
// copies the same types the HTML algorithm does (cycles, Map, Set, Date, RegExp, typed
// arrays, errors…); functions and symbols throw a DataCloneError as in Node.
import { deserialize, serialize } from "@ungap/structured-clone";

function DataCloneError(message) {
  const e = new Error(message);
  e.name = "DataCloneError";
  return e;
}

function assertCloneable(value, seen) {
  const t = typeof value;
  if (t === "function") throw DataCloneError(`${value.name || "function"} could not be cloned.`);
  if (t === "symbol") throw DataCloneError(`${String(value)} could not be cloned.`);
  if (t !== "object" || value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) value.forEach((v, k) => (assertCloneable(k, seen), assertCloneable(v, seen)));
  else if (value instanceof Set) value.forEach((v) => assertCloneable(v, seen));
  else if (!ArrayBuffer.isView(value)) for (const k of Object.keys(value)) assertCloneable(value[k], seen);
}

export function structuredClone(value, options) {
  if (arguments.length === 0) throw new TypeError("The \"value\" argument must be specified");
  if (options !== undefined && options !== null && options.transfer !== undefined) throw DataCloneError("transfer is not supported in the sandbox");
  assertCloneable(value, new WeakSet());
  return deserialize(serialize(value, { lossy: false }));
}
