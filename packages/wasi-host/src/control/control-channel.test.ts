import { describe, expect, it } from "vitest";
import type { DeviceHandler } from "../vfs/device.js";
import type { VirtualFs } from "../vfs/virtual-fs.js";
import { createControlChannel, type ControlChannelOptions } from "./control-channel.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A channel whose transport echoes and counts, and its device. */
function setup(options: ControlChannelOptions = {}) {
  const sent: { tool: string; args: string }[] = [];
  const channel = createControlChannel((tool, args) => {
    sent.push({ tool, args });
    return { ok: true, value: JSON.stringify({ tool, args: JSON.parse(args) as unknown }) };
  }, options);
  let device: DeviceHandler | null = null;
  channel.mountDevice({ createDevice: (_path: string, handler: DeviceHandler) => void (device = handler) } as unknown as VirtualFs);
  const write = (text: string) => device!.write(enc.encode(text));
  const read = () => {
    const buf = new Uint8Array(1 << 22);
    return dec.decode(buf.subarray(0, device!.read(buf)));
  };
  return { channel, sent, write, read };
}

describe("control channel device", () => {
  it("answers a call line with one reply line, and a tools line with the manifest", () => {
    const { write, read, sent } = setup({ tools: '[{"name":"search"}]' });
    write('{"kind":"call","tool":"search","args":{"q":"x"}}\n');
    expect(read()).toBe('{"ok":true,"value":{"tool":"search","args":{"q":"x"}}}\n');
    write('{"kind":"tools"}\n');
    expect(read()).toBe('{"ok":true,"value":[{"name":"search"}]}\n');
    expect(sent).toHaveLength(1);
  });

  it("refuses calls over the budget in the worker, without reaching the transport", () => {
    const { channel, sent } = setup({ maxCalls: 2 });
    const replies = [1, 2, 3, 4].map(() => channel.call("t", "{}"));
    expect(replies.map((r) => r.ok)).toEqual([true, true, false, false]);
    expect(replies[3]).toEqual({ ok: false, error: { name: "ToolBudgetExceeded", message: expect.stringContaining("at most 2 times") } });
    expect(sent).toHaveLength(2);
  });

  it("answers an over-long call line (arguments past the cap) with an error reply instead of silence", () => {
    const { write, read, sent } = setup({ maxArgsBytes: 100 });
    const big = "x".repeat(5000);
    // Written in pieces, as a guest's buffered writes arrive.
    write(`{"kind":"call","tool":"t","args":{"s":"${big.slice(0, 2000)}`);
    write(`${big.slice(2000)}"}}\n`);
    expect(JSON.parse(read())).toEqual({ ok: false, error: { name: "ToolArgumentsTooLarge", message: expect.stringContaining("100 bytes") } });
    write('{"kind":"call","tool":"t","args":{}}\n');
    expect(read()).toBe('{"ok":true,"value":{"tool":"t","args":{}}}\n');
    expect(sent).toHaveLength(1);
  });

  it("passes arguments bigger than a fact's cap when they are under the call cap", () => {
    const { write, read, sent } = setup({ maxArgsBytes: 200_000 });
    write(`{"kind":"call","tool":"t","args":{"s":"${"y".repeat(100_000)}"}}\n`);
    expect(read().length).toBeGreaterThan(100_000);
    expect(sent).toHaveLength(1);
  });

  it("still drops over-long facts and answers a broken call line", () => {
    const { channel, write, read } = setup({ maxArgsBytes: 200_000 });
    write(`{"kind":"error","name":"E","message":"${"m".repeat(70_000)}"}\n`);
    expect(channel.facts).toHaveLength(0);
    write('{"kind":"call", nope\n');
    expect(JSON.parse(read())).toEqual({ ok: false, error: { name: "InvalidToolCall", message: "the call line is not valid JSON" } });
  });
});
