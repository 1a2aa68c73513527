/** Hello in each language, printing exactly "hello\n". */
export const HELLO: Readonly<Record<string, string>> = {
  javascript: 'console.log("hello")',
  lua: 'print("hello")',
  ruby: 'puts "hello"',
  python: 'print("hello")',
};

/** The file extension the CLI picks each runtime by. */
export const EXTENSION: Readonly<Record<string, string>> = { javascript: "js", lua: "lua", ruby: "rb", python: "py" };

/**
 * Each language's hello that also writes one 1 KB file to /app, its content different for
 * every `n` (the same bytes every run would leave nothing to commit after the first).
 */
export const HELLO_WRITE_1KB: Readonly<Record<string, (n: number) => string>> = {
  javascript: (n) => `writeText("/app/out.txt", "${n}".padEnd(1024, "x")); console.log("hello")`,
  lua: (n) => `local f = io.open("/app/out.txt", "w"); f:write(("${n}" .. string.rep("x", 1024)):sub(1, 1024)); f:close(); print("hello")`,
  ruby: (n) => `File.write("/app/out.txt", "${n}".ljust(1024, "x")); puts "hello"`,
  python: (n) => `open("/app/out.txt", "w").write("${n}".ljust(1024, "x")); print("hello")`,
};
