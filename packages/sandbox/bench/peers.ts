/**
 * The faststart bench's peers — what a user would otherwise pick: quickjs-emscripten,
 * wasmoon, ruby.wasm, fresh and reused — each run in a process of their own (a peer host),
 * the bench's rounds asking it for one case at a time, so they stay interleaved with ours.
 *
 * Why not in the bench's own process: the peers' fresh VMs and engines drove that process's
 * main isolate into ~17 full collections per round (291 Mark-Compacts with them vs 5 without,
 * `--trace-gc`), which flushed the bytecode of our main-thread code between two of our runs
 * (V8 flushes the bytecode of functions unused for a few collections), and their concurrent
 * marking took a core from our pool thread: our pre-warmed hellos measured 1.5 ms more than
 * without the peer cases in the same run shape. A user's process does not create ruby.wasm
 * VMs next to ours; each contender now has its own isolate, as a user's would.
 *
 * A case's time is measured in the peer host around the case alone (the round trip to it
 * is not counted), as the bench measures ours around `sandbox.execute`.
 */
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import variant from "@jitl/quickjs-ng-wasmfile-release-sync";
import { DefaultRubyVM } from "@ruby/wasm-wasi/dist/node";
import { newQuickJSWASMModuleFromVariant, newVariant } from "quickjs-emscripten-core";
import { LuaFactory } from "wasmoon";
import type { Case } from "./interleave.js";

const require = createRequire(import.meta.url);
/** Set in a peer host's environment: the bench file started as one serves the peers (see `servePeersIfPeerHost`). */
const PEER_HOST = "FASTSTART_PEER_HOST";

/** A peer case that runs in the bench's own process. */
interface LocalPeer {
  readonly name: string;
  readonly fn: () => Promise<void> | void;
}

/** What the bench asks a peer host: its case names, or one case's run. */
type PeerRequest = { readonly list: true } | { readonly run: string };
/** What a peer host answers: the names, or the case's time (or its error). */
type PeerReply = { readonly names: string[] } | { readonly ms: number } | { readonly error: string };

/**
 * Peer cases for the bench's rounds, each run in a peer host (this same file, started
 * again by `fork`); `withRuby` adds ruby.wasm's (~300 ms a round). `close` ends the host.
 */
export async function remotePeerCases(entry: string, withRuby: boolean): Promise<{ cases: Case[]; close: () => void }> {
  const child = fork(fileURLToPath(entry), [], { env: { ...process.env, [PEER_HOST]: withRuby ? "ruby" : "1" }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ask = (request: PeerRequest): Promise<PeerReply> => askPeerHost(child, request);
  const listed = await ask({ list: true });
  if (!("names" in listed)) throw new Error(`peer host: ${"error" in listed ? listed.error : "no case names"}`);
  const cases = listed.names.map(
    (name): Case => ({
      name,
      timed: async () => {
        const reply = await ask({ run: name });
        if ("error" in reply) throw new Error(`${name}: ${reply.error}`);
        if (!("ms" in reply)) throw new Error(`${name}: the peer host answered no time`);
        return reply.ms;
      },
    }),
  );
  return { cases, close: () => child.disconnect() };
}

/** One request to the peer host, answered in order (the bench asks one case at a time). */
function askPeerHost(child: ChildProcess, request: PeerRequest): Promise<PeerReply> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`the peer host exited (code ${code})`));
    child.once("exit", onExit);
    child.once("message", (reply) => {
      child.off("exit", onExit);
      resolve(reply as PeerReply);
    });
    child.send(request);
  });
}

/**
 * When this process was started as a peer host: serves the peers until the bench
 * disconnects, then exits (never returns). Otherwise returns at once.
 */
export async function servePeersIfPeerHost(): Promise<void> {
  const kind = process.env[PEER_HOST];
  if (kind === undefined) return;
  const peers = await localPeers(kind === "ruby");
  const byName = new Map(peers.map((p) => [p.name, p]));
  process.on("message", (request: PeerRequest) => {
    void (async (): Promise<PeerReply> => {
      if ("list" in request) return { names: peers.map((p) => p.name) };
      const peer = byName.get(request.run);
      if (peer === undefined) return { error: `no peer case "${request.run}"` };
      try {
        const t0 = performance.now();
        await peer.fn();
        return { ms: performance.now() - t0 };
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      }
    })().then((reply) => process.send!(reply));
  });
  process.on("disconnect", () => process.exit(0));
  await new Promise<never>(() => {});
}

/** The peers, fresh and reused, unmetered on this process's main thread. */
async function localPeers(withRuby: boolean): Promise<LocalPeer[]> {
  const wasm = new WebAssembly.Module(readFileSync(require.resolve("@jitl/quickjs-ng-wasmfile-release-sync/wasm")));
  const qjs = await newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmModule: wasm }));
  const quickjsHello = (vm: ReturnType<typeof qjs.newContext>): void => {
    const r = vm.evalCode('"hello"');
    if (r.error) throw new Error("quickjs failed");
    if (vm.getString(r.value) !== "hello") throw new Error("quickjs: wrong result");
    r.value.dispose();
  };
  const reusedContext = qjs.newContext();
  const lua = new LuaFactory();
  const reusedEngine = await lua.createEngine();
  const peers: LocalPeer[] = [
    {
      name: "peer quickjs-emscripten, new context",
      fn: () => {
        const vm = qjs.newContext();
        quickjsHello(vm);
        vm.dispose();
      },
    },
    { name: "peer quickjs-emscripten, reused context", fn: () => quickjsHello(reusedContext) },
    {
      name: "peer wasmoon, new engine",
      fn: async () => {
        const engine = await lua.createEngine();
        if ((await engine.doString('return "hello"')) !== "hello") throw new Error("wasmoon: wrong result");
        engine.global.close();
      },
    },
    { name: "peer wasmoon, reused engine", fn: async () => void (await reusedEngine.doString('return "hello"')) },
  ];
  if (!withRuby) return peers;
  const rubyModule = await WebAssembly.compile(readFileSync(require.resolve("@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm")));
  const reusedVm = (await DefaultRubyVM(rubyModule)).vm;
  return [
    ...peers,
    { name: "peer ruby.wasm, new VM", fn: async () => void (await DefaultRubyVM(rubyModule)).vm.eval('"hello"') },
    { name: "peer ruby.wasm, reused VM", fn: () => void reusedVm.eval('"hello"') },
  ];
}
