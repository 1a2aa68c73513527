import { describeRuntimeConformance } from "@llm-wasm-sandbox/testkit";
import { pythonPlugin } from "../src/index.js";

describeRuntimeConformance(pythonPlugin, {
  hello: 'print("conformance-hello")',
  infiniteLoop: "while True:\n    pass",
  allocateTooMuch: 'x = bytearray(512 * 1024 * 1024)\nprint("ALLOCATED")',
  printMany: 'for i in range(2000):\n    print("x" * 99)',
  writeFile: 'open("/app/out.txt", "w").write("conformance-data")',
  readFile: 'print(open("/app/in.txt").read())',
  readEtcPasswd: 'for p in ["/etc/passwd", "/app/../../etc/passwd"]:\n    try:\n        print(open(p).read())\n    except OSError as e:\n        print("denied", type(e).__name__)',
  printEnv: 'import os\nprint(os.environ.get("CONFORMANCE_VAR"), os.environ.get("LLM_SANDBOX_CANARY"))',
  syntaxError: "def f(:\n  pass",
  throwError: 'raise ValueError("conformance-boom")',
  cpuWork: "import json\nprint(json.dumps({str(i): i * i for i in range(500)})[:40], sum(i * i for i in range(20000)))",
  deepRecursion: "def f(n):\n    return f(n + 1)\nf(0)",
  persist: ["value = 42", 'print(f"persisted={value}")'],
});
