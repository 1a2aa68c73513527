import { describeRuntimeConformance } from "@llm-wasm-sandbox/testkit";
import { tallyPlugin } from "../src/index.js";

describeRuntimeConformance(tallyPlugin, {
  hello: "print conformance-hello",
  infiniteLoop: "forever",
  allocateTooMuch: "alloc 512\nprint ALLOCATED",
  printMany: `repeat 2000 ${"x".repeat(99)}`,
  writeFile: "write out.txt conformance-data",
  readFile: "cat /app/in.txt",
  readEtcPasswd: "cat /etc/passwd\ncat /app/../../etc/passwd",
  printEnv: "env CONFORMANCE_VAR\nenv LLM_SANDBOX_CANARY",
  syntaxError: "prnt oops",
  throwError: "fail conformance-boom",
  cpuWork: "sum 100000\nprint done",
});
