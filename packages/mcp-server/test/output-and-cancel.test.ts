import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, stdioClient, tempDir, waitFor } from "./helpers.js";

describe("execute_code results sized for a model (stdio)", () => {
  let client: Client;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir("mcp-output-");
    client = await stdioClient(["--storage-dir", join(dir.path, "ws"), "--runtimes", "python,javascript", "--log-level", "warn", "--max-output-chars", "8000"]);
  });
  afterAll(async () => {
    await client?.close();
    await dir?.dispose();
  });

  it("returns head and tail of a long stdout once, says how much was cut and where the whole of it is", async () => {
    const r = await call(client, "execute_code", { language: "python", code: "print('HEAD' + 'x' * 1_500_000 + 'TAIL')" });
    expect(JSON.stringify(r.raw).length).toBeLessThan(12_000);
    expect(r.stdout.startsWith("HEADxxx")).toBe(true);
    expect(r.stdout.endsWith("xxxTAIL\n")).toBe(true);
    const report = r.data.stdout as { chars: number; omitted_chars: number; cut_at_output_cap: boolean; full_output_path: string };
    expect(report).toMatchObject({ chars: 1_500_009, cut_at_output_cap: false });
    expect(report.omitted_chars).toBeGreaterThanOrEqual(1_500_009 - 8000);
    expect(report.full_output_path).toMatch(/^\/app\/\.outputs\/\d+-[0-9a-f]{4}\.stdout\.txt$/);
    expect(r.raw.content.map((c) => (c.type === "text" ? c.text : "")).join("\n")).toContain(`the whole stdout is in ${report.full_output_path}`);
    expect(r.stdout).toContain("characters omitted");
    // The output text travels once: structuredContent describes it but does not repeat it.
    expect(JSON.stringify(r.data)).not.toContain("xxxxxxxxxx");

    // The saved output is the whole stream, readable in pages.
    const end = await call(client, "read_file", { session_id: r.data.session_id, path: report.full_output_path, offset: report.chars - 10, length: 100 });
    expect(end.data).toMatchObject({ size: report.chars, next_offset: null, encoding: "utf-8" });
    expect(end.text).toBe("xxxxxTAIL\n");
    const head = await call(client, "read_file", { session_id: r.data.session_id, path: report.full_output_path });
    expect(head.data).toMatchObject({ offset: 0, returned_bytes: 64 * 1024, next_offset: 64 * 1024 });
    expect(head.text.startsWith("HEADxxx")).toBe(true);
  });

  it("keeps a 3 MB print to a few KB of result and says it hit the run's output cap", async () => {
    const r = await call(client, "execute_code", { language: "python", code: "print('x' * 3_000_000)" });
    expect(JSON.stringify(r.raw).length).toBeLessThan(12_000);
    expect(r.data.stdout).toMatchObject({ chars: 2_000_000, cut_at_output_cap: true });
    expect(r.stdout).toContain("reached the run's output cap");
  });

  it("keeps short output whole and saves nothing", async () => {
    const r = await call(client, "execute_code", { language: "javascript", code: "console.log('short'); console.error('warn')" });
    expect(r.stdout).toBe("short\n");
    expect(r.stderr).toBe("warn\n");
    expect(r.data.stdout).toEqual({ chars: 6, omitted_chars: 0, cut_at_output_cap: false, full_output_path: null });
  });

  it("refuses to read a file over the read_file limit before loading it", async () => {
    const big = await tempDir("mcp-read-");
    const c = await stdioClient(["--storage-dir", big.path, "--runtimes", "python", "--log-level", "warn", "--max-request-mb", "0.5"]);
    try {
      const { data } = await call(c, "execute_code", { language: "python", code: "open('/app/big.bin', 'wb').write(b'a' * 600_000)" });
      const refused = await call(c, "read_file", { session_id: data.session_id, path: "big.bin", offset: 0, length: 10 });
      expect(refused.isError).toBe(true);
      expect(refused.text).toContain("600000 bytes, over the 524288-byte limit of read_file");
    } finally {
      await c.close();
      await big.dispose();
    }
  });
});

describe("progress (stdio)", () => {
  it("reports progress and a log line while a runtime's first run prepares it", async () => {
    const dir = await tempDir("mcp-progress-");
    const client = await stdioClient(["--storage-dir", join(dir.path, "ws"), "--runtimes", "python", "--log-level", "warn"]);
    try {
      const progress: Progress[] = [];
      const logs: string[] = [];
      client.fallbackNotificationHandler = async (n) => {
        if (n.method === "notifications/message") logs.push(String((n.params as { data: unknown }).data));
      };
      // The server's first python run: reported as preparing the runtime. The sleep makes it
      // last longer than the first notice (0.4 s) whatever the state of the runtime cache.
      const r = await call(client, "execute_code", { language: "python", code: "import time\ntime.sleep(1.5)\nprint(6 * 7)" }, { onprogress: (p) => progress.push(p) });
      expect(r.stdout).toBe("42\n");
      expect(progress.length).toBeGreaterThan(0);
      expect(progress[0]!.message).toContain("preparing the python runtime and running the code");
      expect(progress.map((p) => p.progress)).toEqual([...progress.map((p) => p.progress)].sort((a, b) => a - b));
      expect(logs.some((l) => l.includes("preparing the python runtime"))).toBe(true);
      // A later run of the same runtime is just running code.
      const later: Progress[] = [];
      await call(client, "execute_code", { language: "python", code: "import time\ntime.sleep(1.5)" }, { onprogress: (p) => later.push(p) });
      expect(later[0]!.message).toContain("running python code");

      // Output travels as progress while the program runs: line by line, one second apart.
      const streamed: Progress[] = [];
      const slow = await call(client, "execute_code", { language: "python", code: "import time\nfor i in range(3):\n    print(f'line {i}')\n    time.sleep(1)" }, { onprogress: (p) => streamed.push(p) });
      expect(slow.stdout).toBe("line 0\nline 1\nline 2\n");
      const lines = streamed.map((p) => p.message ?? "").filter((m) => m.startsWith("stdout: "));
      expect(lines.join("").replaceAll("stdout: ", "")).toBe("line 0\nline 1\nline 2\n");
      // Handed over only at the end, all three lines would come in one notification.
      expect(lines[0]).toBe("stdout: line 0\n");
    } finally {
      await client.close();
      await dir.dispose();
    }
  });
});

describe("cancellation (stdio)", () => {
  let client: Client;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir("mcp-cancel-");
    client = await stdioClient(["--storage-dir", join(dir.path, "ws"), "--runtimes", "python", "--log-level", "warn"]);
  });
  afterAll(async () => {
    await client?.close();
    await dir?.dispose();
  });

  it("stops the run when the client cancels the request (notifications/cancelled)", async () => {
    const { data: s } = await call(client, "create_session", { language: "python" });
    const controller = new AbortController();
    const running = call(client, "execute_code", { language: "python", session_id: s.session_id, timeout: 120, code: "import time\nopen('/app/started.txt', 'w').write('x')\ntime.sleep(60)" }, { signal: controller.signal });
    await waitFor(async () => (await call(client, "get_metrics")).data.inFlight === 1);
    controller.abort("the user pressed stop");
    await expect(running).rejects.toThrow();
    // The server stopped the run (it would otherwise sleep for 60 s) and kept none of its files.
    await waitFor(async () => (await call(client, "get_metrics")).data.inFlight === 0, 30_000);
    const traps = (await call(client, "get_metrics")).data.runtimes as Record<string, { traps: Record<string, number> }>;
    expect(traps.python!.traps.cancelled).toBe(1);
    expect((await call(client, "list_files", { session_id: s.session_id })).data.files).toEqual([]);
  });

  it("cancel_execution stops this client's run in a session", async () => {
    const { data: s } = await call(client, "create_session", { language: "python" });
    const running = call(client, "execute_code", { language: "python", session_id: s.session_id, timeout: 120, code: "import time\ntime.sleep(60)" });
    running.catch(() => {});
    await waitFor(async () => (await call(client, "get_metrics")).data.inFlight === 1);
    expect((await call(client, "cancel_execution", { session_id: "some-other-session" })).data.cancelled).toBe(0);
    expect((await call(client, "cancel_execution", { session_id: s.session_id })).data.cancelled).toBe(1);
    const r = await running;
    expect(r.data).toMatchObject({ success: false, trapped: true, trap_reason: "cancelled" });
    expect((await call(client, "cancel_execution", {})).text).toContain("Nothing of yours was running");
  });
});
