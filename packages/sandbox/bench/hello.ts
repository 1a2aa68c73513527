/** Hello in each language, printing exactly "hello\n". */
export const HELLO: Readonly<Record<string, string>> = {
  javascript: 'console.log("hello")',
  lua: 'print("hello")',
  ruby: 'puts "hello"',
  python: 'print("hello")',
};

/** The file extension the CLI picks each runtime by. */
export const EXTENSION: Readonly<Record<string, string>> = { javascript: "js", lua: "lua", ruby: "rb", python: "py" };

/** Each language's hello that also writes one 1 KB file to /app. */
export const HELLO_WRITE_1KB: Readonly<Record<string, string>> = {
  javascript: 'writeText("/app/out.txt", "x".repeat(1024)); console.log("hello")',
  lua: 'local f = io.open("/app/out.txt", "w"); f:write(string.rep("x", 1024)); f:close(); print("hello")',
  ruby: 'File.write("/app/out.txt", "x" * 1024); puts "hello"',
  python: 'open("/app/out.txt", "w").write("x" * 1024); print("hello")',
};
