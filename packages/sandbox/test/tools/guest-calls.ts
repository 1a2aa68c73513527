/**
 * The same sequence of host-function calls written in every language with stubs, for
 * tests that attack or measure host functions: each call prints "ok" or the failure's
 * kind (raw WebAssembly prints the reply line; `outcomes` maps it the same way).
 */

export type ToolLang = "python" | "javascript" | "ruby" | "lua" | "wasm";
export const TOOL_LANGS: readonly ToolLang[] = ["python", "javascript", "ruby", "lua", "wasm"];

/** A call's arguments: JSON data, or `{"text": "x" * n}` built inside the guest. */
export type CallArgs = { readonly json: Record<string, unknown> } | { readonly bigText: number };

/** One step of a program: call a tool (`times` times) or print a line. */
export type Step = { readonly call: string; readonly args?: CallArgs; readonly times?: number } | { readonly print: string };

/** The program running `steps` in `lang`. */
export function callProgram(lang: ToolLang, steps: readonly Step[]): string {
  if (lang === "wasm") return watProgram(steps);
  return steps.map((step) => ("print" in step ? PRINT[lang](step.print) : CALL[lang](step.call, argsExpression(lang, step.args ?? { json: {} }), step.times ?? 1))).join("\n");
}

/** The printed lines with raw WebAssembly's reply lines turned into "ok" or the failure's kind. */
export function outcomes(stdout: string): string {
  return stdout.replace(/^\{"ok":.*$/gm, (line) => {
    const reply = JSON.parse(line) as { ok: boolean; error?: { name: string } };
    return reply.ok ? "ok" : reply.error!.name;
  });
}

const CALL: Record<Exclude<ToolLang, "wasm">, (tool: string, args: string, times: number) => string> = {
  python: (tool, args, times) => `
import tools
for _ in range(${times}):
    try:
        tools.call_tool(${JSON.stringify(tool)}, ${args})
        print("ok")
    except tools.ToolError as e:
        print(e.kind)
`,
  javascript: (tool, args, times) => `
{
  const f = tools.sync[${JSON.stringify(tool)}];
  for (let i = 0; i < ${times}; i++) {
    try { f(${args}); console.log("ok"); } catch (e) { console.log(e.name === "ToolError" ? e.kind : "other:" + e); }
  }
}
`,
  ruby: (tool, args, times) => `
${times}.times do
  begin
    Tools.call_tool(${JSON.stringify(tool)}, ${args})
    puts "ok"
  rescue Tools::ToolError => e
    puts e.kind
  end
end
`,
  lua: (tool, args, times) => `
for _ = 1, ${times} do
  local ok, e = pcall(tools.call, ${JSON.stringify(tool)}, ${args})
  print(ok and "ok" or (type(e) == "table" and e.kind or "other:" .. tostring(e)))
end
`,
};

const PRINT: Record<Exclude<ToolLang, "wasm">, (text: string) => string> = {
  python: (t) => `print(${JSON.stringify(t)})`,
  javascript: (t) => `console.log(${JSON.stringify(t)});`,
  ruby: (t) => `puts ${JSON.stringify(t)}`,
  lua: (t) => `print(${JSON.stringify(t)})`,
};

function argsExpression(lang: Exclude<ToolLang, "wasm">, args: CallArgs): string {
  if ("bigText" in args) {
    const n = args.bigText;
    return { python: `{"text": "x" * ${n}}`, javascript: `{ text: "x".repeat(${n}) }`, ruby: `{ "text" => "x" * ${n} }`, lua: `{ text = string.rep("x", ${n}) }` }[lang];
  }
  const text = JSON.stringify(args.json);
  switch (lang) {
    case "python":
      return `__import__("json").loads(${JSON.stringify(text)})`;
    case "javascript":
      return `JSON.parse(${JSON.stringify(text)})`;
    case "ruby":
      return `JSON.parse(${JSON.stringify(text)})`;
    case "lua":
      return luaLiteral(args.json);
  }
}

/** A Lua table constructor for JSON data (strings as ASCII escapes). */
function luaLiteral(value: unknown): string {
  if (value === null) return "tools.null";
  if (Array.isArray(value)) return `{ ${value.map(luaLiteral).join(", ")} }`;
  if (typeof value === "object") return `{ ${Object.entries(value).map(([k, v]) => `[${luaLiteral(k)}] = ${luaLiteral(v)}`).join(", ")} }`;
  if (typeof value === "string") return `"${[...Buffer.from(value)].map((b) => `\\${b}`).join("")}"`;
  return String(value);
}

const PAGE = 65536;
const REPLY_CAP = 65536;

/**
 * A WAT module doing `steps` through `llm_sandbox.call`: names and JSON arguments are data
 * segments, a big text argument is filled in at run time, and each reply is written to
 * stdout as one line.
 */
function watProgram(steps: readonly Step[]): string {
  const data: string[] = [];
  let offset = 1024;
  const place = (bytes: Uint8Array): [number, number] => {
    const at = offset;
    data.push(`(data (i32.const ${at}) "${[...bytes].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("")}")`);
    offset += bytes.length + 8 - (bytes.length % 8);
    return [at, bytes.length];
  };
  const body: string[] = [];
  const prefix = place(Buffer.from('{"text":"'));
  for (const step of steps) {
    if ("print" in step) {
      const [at, len] = place(Buffer.from(`${step.print}\n`));
      body.push(`(call $write (i32.const ${at}) (i32.const ${len}))`);
      continue;
    }
    const [name, nameLen] = place(Buffer.from(step.call));
    const args = step.args ?? { json: {} };
    let argsAt: string;
    let argsLen: string;
    if ("bigText" in args) {
      argsAt = "(global.get $scratch)";
      argsLen = `(call $big (i32.const ${prefix[0]}) (i32.const ${prefix[1]}) (i32.const ${args.bigText}))`;
    } else {
      const [at, len] = place(Buffer.from(JSON.stringify(args.json)));
      argsAt = `(i32.const ${at})`;
      argsLen = `(i32.const ${len})`;
    }
    body.push(`(local.set $i (i32.const ${step.times ?? 1}))
    (loop $again
      (local.set $len ${argsLen})
      (call $reply (call $call (i32.const ${name}) (i32.const ${nameLen}) ${argsAt} (local.get $len) (global.get $out) (i32.const ${REPLY_CAP})))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $again (local.get $i)))`);
  }
  const maxBig = Math.max(0, ...steps.map((s) => ("call" in s && s.args && "bigText" in s.args ? s.args.bigText : 0)));
  const out = Math.ceil(offset / PAGE) * PAGE;
  const scratch = out + REPLY_CAP + PAGE;
  const pages = Math.ceil((scratch + maxBig + 64) / PAGE) + 1;
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "llm_sandbox" "call" (func $call (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") ${pages})
  (global $out i32 (i32.const ${out}))
  (global $scratch i32 (i32.const ${scratch}))
  ${data.join("\n  ")}
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; Writes the reply (length n) and a newline.
  (func $reply (param $n i32)
    (i32.store8 (i32.add (global.get $out) (local.get $n)) (i32.const 10))
    (call $write (global.get $out) (i32.add (local.get $n) (i32.const 1))))
  ;; Builds {"text":"xxx…"} with n x's at $scratch; returns its length.
  (func $big (param $prefix i32) (param $plen i32) (param $n i32) (result i32)
    (memory.copy (global.get $scratch) (local.get $prefix) (local.get $plen))
    (memory.fill (i32.add (global.get $scratch) (local.get $plen)) (i32.const 120) (local.get $n))
    (i32.store16 (i32.add (i32.add (global.get $scratch) (local.get $plen)) (local.get $n)) (i32.const 0x7d22))
    (i32.add (i32.add (local.get $plen) (local.get $n)) (i32.const 2)))
  (func (export "_start")
    (local $i i32) (local $len i32)
    ${body.join("\n    ")}))`;
}
