import { describeRuntimeConformance } from "@llm-wasm-sandbox/testkit";
import { luaPlugin } from "../src/index.js";

describeRuntimeConformance(luaPlugin, {
  hello: 'print("conformance-hello")',
  infiniteLoop: "while true do end",
  allocateTooMuch: 'local s = string.rep("x", 512 * 1024 * 1024)\nprint("ALLOCATED")',
  printMany: 'for i = 1, 2000 do print(string.rep("x", 99)) end',
  writeFile: 'local f = assert(io.open("/app/out.txt", "w"))\nf:write("conformance-data")\nf:close()',
  readFile: 'print(assert(io.open("/app/in.txt")):read("a"))',
  readEtcPasswd: 'for _, p in ipairs({"/etc/passwd", "/app/../../etc/passwd"}) do\n  local f, err = io.open(p)\n  print(f and f:read("a") or ("denied " .. tostring(err)))\nend',
  printEnv: 'print(os.getenv("CONFORMANCE_VAR"), os.getenv("LLM_SANDBOX_CANARY"))',
  syntaxError: "local function f(\n  return 1\nend",
  throwError: 'error("conformance-boom")',
  cpuWork: 'local t = {}\nfor i = 1, 500 do t[#t + 1] = tostring(i * i) end\nlocal s = 0\nfor i = 1, 20000 do s = s + i * i end\nprint(table.concat(t, ","):sub(1, 40), s)',
  deepRecursion: "local function f(n) return 1 + f(n + 1) end\nf(0)",
  persist: ["_state.value = 42", 'print("persisted=" .. tostring(_state.value))'],
});
