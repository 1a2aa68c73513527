import type { RuntimeSnippets } from "@llm-wasm-sandbox/testkit";

/** The JavaScript programs of the testkit's runtime conformance suite. */
export const javascriptSnippets: RuntimeSnippets = {
  hello: 'console.log("conformance-hello")',
  infiniteLoop: "while (true) {}",
  allocateTooMuch: 'const big = new ArrayBuffer(512 * 1024 * 1024); console.log("ALLOCATED", big.byteLength)',
  printMany: 'for (let i = 0; i < 2000; i++) console.log("x".repeat(100))',
  writeFile: 'writeText("/app/out.txt", "conformance-data")',
  readFile: 'console.log(readText("/app/in.txt"))',
  readEtcPasswd: 'for (const p of ["/etc/passwd", "/app/../../etc/passwd"]) { try { console.log(readText(p)) } catch (e) { console.log("denied", e.code) } }',
  printEnv: "console.log(env.CONFORMANCE_VAR, env.LLM_SANDBOX_CANARY)",
  syntaxError: "function (",
  throwError: 'throw new Error("conformance-boom")',
  cpuWork: "let s = 0; for (let i = 0; i < 100000; i++) s = (s * 31 + i) % 1000003; console.log(s, Math.random())",
  deepRecursion: "function f(n) { return f(n + 1) + 1 } f(0)",
  persist: ["_state.value = 42", 'console.log("persisted=" + _state.value)'],
};
