/**
 * Bench helper: turns a module's own memory into an `env.memory` import without any
 * other change, so the unmetered baseline runs through the same driver and emscripten
 * layer as the sandbox (which hands every guest a host-created memory).
 */

function readU32(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let p = at;
  for (;;) {
    const b = bytes[p++]!;
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [value >>> 0, p];
    shift += 7;
  }
}

function u32(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

function name(text: string): number[] {
  const b = [...new TextEncoder().encode(text)];
  return [...u32(b.length), ...b];
}

/** Returns a copy of `bytes` whose single defined memory is imported as `env.memory`. */
export function importMemory(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const sections: { id: number; body: Uint8Array }[] = [];
  let p = 8;
  while (p < bytes.length) {
    const id = bytes[p]!;
    const [size, start] = readU32(bytes, p + 1);
    sections.push({ id, body: bytes.subarray(start, start + size) });
    p = start + size;
  }
  const mem = sections.find((s) => s.id === 5);
  const imp = sections.find((s) => s.id === 2);
  if (!mem || !imp) throw new Error("expected a memory section and an import section");
  const [count, limitsAt] = readU32(mem.body, 0);
  if (count !== 1) throw new Error("expected exactly one memory");
  const limits = mem.body.subarray(limitsAt);
  const [importCount, rest] = readU32(imp.body, 0);
  const entry = [...name("env"), ...name("memory"), 0x02, ...limits];
  const newImport = new Uint8Array([...u32(importCount + 1), ...imp.body.subarray(rest), ...entry]);
  const out: number[] = [...bytes.subarray(0, 8)];
  for (const s of sections) {
    if (s.id === 5) continue;
    const body = s.id === 2 ? newImport : s.body;
    out.push(s.id, ...u32(body.length));
    for (let i = 0; i < body.length; i += 65536) out.push(...body.subarray(i, i + 65536));
  }
  return new Uint8Array(out);
}
