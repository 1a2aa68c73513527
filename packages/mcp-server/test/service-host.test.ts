import { createSandboxHost, LogEvent, memoryStorage, type SandboxHost, type SandboxLogger, SessionNotFoundError } from "llm-wasm-sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxService } from "../src/service.js";

/** A logger that keeps the `event` of every line. */
function recordingLogger(): { logger: SandboxLogger; events: string[] } {
  const events: string[] = [];
  const record = (obj: unknown) => {
    const event = (obj as { event?: unknown } | null)?.event;
    if (typeof event === "string") events.push(event);
  };
  return { logger: { debug: record, info: record, warn: record, error: record }, events };
}

describe("SandboxService: one host, one Sandbox per session", () => {
  let host: SandboxHost;
  let service: SandboxService;
  let events: string[];
  beforeAll(() => {
    const recording = recordingLogger();
    events = recording.events;
    const storage = memoryStorage();
    host = createSandboxHost({ storage, logger: recording.logger });
    service = new SandboxService({
      host,
      storage,
      // Fuel for hours: in the timeout test only the wall clock can stop the loop.
      policy: { fuelBudget: 1e13 },
      runtimes: ["javascript"],
      mounts: [],
      maxTimeoutSeconds: 30,
      maxFileBytes: 1 << 20,
      maxOutputChars: 20_000,
      logger: recording.logger,
    });
  });
  afterAll(async () => {
    await host.close();
  });

  it("reuses the session's sandbox on every call instead of creating (and resuming) it again", async () => {
    const { session_id } = await service.createSession("javascript");
    const before = events.filter((e) => e === LogEvent.SESSION_RESUMED).length;
    for (let i = 0; i < 3; i++) {
      const { result } = await service.execute({ language: "javascript", session_id, code: `console.log(${i})` }, { client: "t" });
      expect(result.stdout).toBe(`${i}\n`);
    }
    // createSandbox on an existing session logs "session resumed": the cached sandbox never does.
    expect(events.filter((e) => e === LogEvent.SESSION_RESUMED).length).toBe(before);
  });

  it("keeps a sessionless call's new session for the next call on it", async () => {
    const first = await service.execute({ language: "javascript", code: "writeText('/app/a.txt', 'kept')" }, { client: "t" });
    const resumed = events.filter((e) => e === LogEvent.SESSION_RESUMED).length;
    const next = await service.execute({ language: "javascript", session_id: first.result.sessionId, code: "console.log(readText('/app/a.txt'))" }, { client: "t" });
    expect(next.result.stdout).toBe("kept\n");
    expect(events.filter((e) => e === LogEvent.SESSION_RESUMED).length).toBe(resumed);
  });

  it("applies a call's timeout to that call only, on the shared sandbox", async () => {
    const { session_id } = await service.createSession("javascript");
    const stopped = await service.execute({ language: "javascript", session_id, timeout: 1, code: "while (true) {}" }, { client: "t" });
    expect(stopped.result.trapReason).toBe("timeout");
    const { result } = await service.execute({ language: "javascript", session_id, code: "console.log('after')" }, { client: "t" });
    expect(result.success).toBe(true);
    expect(result.stdout).toBe("after\n");
  });

  it("forgets a destroyed session's sandbox: the next call on it is refused, not run on the old one", async () => {
    const { session_id } = await service.createSession("javascript");
    await service.execute({ language: "javascript", session_id, code: "1" }, { client: "t" });
    expect(await service.destroySession(session_id)).toBe(true);
    await expect(service.execute({ language: "javascript", session_id, code: "console.log(1)" }, { client: "t" })).rejects.toSatisfy((e) => SessionNotFoundError.isInstance(e));
  });

  it("passes output to onOutput while the run is in flight", async () => {
    const seen: Array<{ stream: string; text: string }> = [];
    const code = "console.log('first'); const t = Date.now(); while (Date.now() - t < 1500) {} console.log('last')";
    const { result } = await service.execute({ language: "javascript", code }, { client: "t", onOutput: (stream, text) => seen.push({ stream, text }) });
    expect(result.stdout).toBe("first\nlast\n");
    expect(seen.map((s) => s.text).join("")).toBe("first\nlast\n");
    // The first line came on its own, while the program was still busy for a second and a
    // half: output handed over only at the end would arrive as one chunk.
    expect(seen[0]).toEqual({ stream: "stdout", text: "first\n" });
  });
});
