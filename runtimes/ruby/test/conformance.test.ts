/**
 * The shared runtime conformance suite, with Ruby snippets. The allocation test uses a
 * 96 MiB cap: the initialized Ruby VM itself needs ~70 MiB, so under the kit's default
 * 64 MiB Ruby would fail before running anything and the test would prove nothing.
 */
import { describeRuntimeConformance } from "@llm-wasm-sandbox/testkit";
import rubyPlugin from "../src/index.js";

describeRuntimeConformance(
  rubyPlugin,
  {
    hello: 'puts "conformance-hello"',
    infiniteLoop: "loop { }",
    allocateTooMuch: 'a = "x" * (512 * 1024 * 1024)\nputs "ALLOCATED"',
    printMany: '2000.times { puts "y" * 99 }',
    writeFile: 'File.write("/app/out.txt", "conformance-data")',
    readFile: 'puts File.read("/app/in.txt")',
    readEtcPasswd: '["/etc/passwd", "/app/../../etc/passwd"].each { |p| puts File.read(p) rescue nil }',
    printEnv: 'puts ENV["CONFORMANCE_VAR"].inspect, ENV["LLM_SANDBOX_CANARY"].inspect',
    syntaxError: "def f(:\n end",
    throwError: 'raise "conformance-boom"',
    cpuWork: "puts (1..20_000).map { |i| i * i % 7 }.sum",
    deepRecursion: "def f(n) = f(n + 1)\nf(0)",
    persist: ['$state[:v] = 42', 'puts "persisted=#{$state[:v]}"'],
  },
  { memoryBytes: 96 * 1024 * 1024 },
);
