/**
 * Pre-warmed instances, worker side: each pool thread keeps instances of the modules it
 * ran ready for its next run of the same kind — memory created with the run's cap, the
 * module instantiated, the driver's snapshot restored — so a run skips the part of its
 * start that does not depend on what it runs.
 *
 * What makes a ready instance indistinguishable from one a run builds itself:
 *
 * - Nothing of the guest runs while it is built: instantiation (no start function may
 *   call out — its imports are not bound yet) and a memcpy of the snapshot. Its memory
 *   and globals are exactly those of a fresh instance restored from the same image.
 * - Its function imports are trampolines bound when a run takes it, to the imports that
 *   run's driver builds for itself (`bind`); until then they throw.
 * - Fuel is set when a run takes it, from that run's budget (see `InstanceTracker`),
 *   and the memory's maximum is the run's cap (part of the key). Timeouts belong to the
 *   run that takes it.
 * - It is taken once and never returns: after a run, the thread builds a new one.
 *
 * The key names everything that shapes the instance: the module, the initial and maximum
 * pages, the driver, the driver's own key and the restored image's id.
 */
import type { MeteredImage } from "../types.js";
import { restoreImage, writeGlobals } from "../snapshot/memory-image.js";
import type { PrewarmPlan } from "../define-driver.js";
import { createPrewarmWorld, type StartClock, startInputsKey, type StartInputs } from "./prewarm-world.js";

/** Fuel an instance holds while its driver's start runs (the start's cost is what it spends of it). */
const START_FUEL = 1n << 62n;

/** An instance waiting for a run. */
export interface ReadyInstance {
  readonly key: string;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly instance: WebAssembly.Instance;
  /** Id of the image restored into it, or null. */
  readonly restored: string | null;
  /** What the driver's start returned, the fuel it spent (charged to the run that takes it) and what it did to its clock, or null. */
  readonly started: { readonly value: unknown; readonly fuel: bigint; readonly clock: StartClock } | null;
  /**
   * Points the instance's function imports at `imports` (what the taking run's driver
   * passed to `ctx.instantiate`, memory and WASI filled in).
   * @throws TypeError when a function import is missing there.
   */
  bind(imports: WebAssembly.Imports): void;
}

/** What a run's instance is built from; the worker derives it from the task. */
export interface PrewarmShape {
  readonly driver: string;
  readonly module: WebAssembly.Module;
  readonly image: Omit<MeteredImage, "module">;
  readonly maxPages: number;
  readonly plan: PrewarmPlan;
  /** What a driver's start may depend on (used only when the plan has a `start`). */
  readonly inputs: StartInputs;
}

/** The cache key of a shape, or null when its plan restores an image without an id. */
export function prewarmKey(shape: PrewarmShape): string | null {
  const { image, plan } = shape;
  if (plan.restore !== null && typeof plan.restore.id !== "string") return null;
  return [shape.driver, image.hash, image.memory.initialPages, shape.maxPages, plan.key, plan.restore?.id ?? "-", plan.start ? startInputsKey(shape.inputs) : "-"].join("\0");
}

/** Builds a ready instance of `shape` (rejects with what instantiation, the restore or the driver's start threw). */
export async function buildReadyInstance(shape: PrewarmShape, key: string): Promise<ReadyInstance> {
  const { module, image, plan } = shape;
  const memory = new WebAssembly.Memory({ initial: image.memory.initialPages, maximum: shape.maxPages });
  // The function imports, in import order: each trampoline calls `targets[i]`.
  const slots: { readonly space: string; readonly name: string }[] = [];
  const targets: ((...args: unknown[]) => unknown)[] = [];
  const imports: WebAssembly.Imports = {};
  const fixed = plan.staticImports?.(module) ?? {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const space = (imports[imp.module] ??= {});
    if (imp.module === image.memory.module && imp.name === image.memory.name) {
      space[imp.name] = memory;
    } else if (imp.kind === "function") {
      const i = slots.push({ space: imp.module, name: imp.name }) - 1;
      targets.push(unbound(imp.module, imp.name));
      space[imp.name] = (...args: unknown[]) => targets[i]!(...args);
    } else {
      const value = fixed[imp.module]?.[imp.name];
      if (value === undefined) throw new TypeError(`no pre-warm value for the ${imp.kind} import ${imp.module}.${imp.name}`);
      space[imp.name] = value;
    }
  }
  const instance = new WebAssembly.Instance(module, imports);
  if (plan.restore !== null) {
    restoreImage(memory, plan.restore);
    writeGlobals(instance, plan.restore.globals);
  }
  const bind = (given: WebAssembly.Imports, whose: string): void => {
    // Checked in full before any target changes: a run whose imports lack one fails without a half-bound instance.
    const fns = slots.map(({ space, name }) => {
      const fn = given[space]?.[name];
      if (typeof fn !== "function") throw new TypeError(`${whose} imports have no function ${space}.${name} for the pre-warmed instance`);
      return fn as (...args: unknown[]) => unknown;
    });
    fns.forEach((fn, i) => (targets[i] = fn));
  };
  let started: ReadyInstance["started"] = null;
  if (plan.start !== undefined) {
    try {
      started = await runStart(shape, instance, memory, (imports) => bind(imports, "the start's"));
    } finally {
      // Nothing of the start's world stays reachable from the instance.
      slots.forEach(({ space, name }, i) => (targets[i] = unbound(space, name)));
    }
  }
  return { key, module, memory, instance, restored: plan.restore?.id ?? null, started, bind: (given) => bind(given, "the run's") };
}

/** Runs the driver's start on `instance` and measures its fuel. @throws when the start failed or did something a run's start would not have. */
async function runStart(shape: PrewarmShape, instance: WebAssembly.Instance, memory: WebAssembly.Memory, bind: (imports: WebAssembly.Imports) => void): Promise<NonNullable<ReadyInstance["started"]>> {
  const { image, module, plan } = shape;
  const fuel = instance.exports[image.fuelExport];
  if (!(fuel instanceof WebAssembly.Global)) throw new TypeError(`module ${image.name} has no fuel global "${image.fuelExport}"`);
  fuel.value = START_FUEL;
  let handedOut = false;
  const world = createPrewarmWorld(shape.inputs, image, module, memory, (imports) => {
    if (handedOut) throw new TypeError("a pre-warm start instantiates its module once");
    handedOut = true;
    bind(imports);
    return instance;
  });
  const value = await plan.start!(world.ctx);
  const grow = instance.exports[image.growFailedExport];
  const spoiled = world.spoiled() ?? (grow instanceof WebAssembly.Global && grow.value === 1 ? "it hit the memory cap" : null);
  if (spoiled !== null) throw new Error(`the driver's start is not kept: ${spoiled}`);
  if (!handedOut) throw new TypeError("the driver's start did not instantiate its module");
  return { value, fuel: START_FUEL - (fuel.value as bigint), clock: world.clock() };
}

/**
 * The thread's ready instances: at most one per driver (a run of another shape through
 * the same driver replaces it), so a thread holds at most one per runtime it pre-warms.
 *
 * A refill is scheduled after a run and built once the main thread took the run's result
 * (a build racing the main thread for a core delayed the result on a busy machine). A run that
 * arrives before that happened builds it itself first when it is its own kind (it waits
 * no longer than building its instance cold would take), so whether a run gets a ready
 * instance never depends on how the threads were scheduled.
 */
export class PrewarmCache {
  readonly #byDriver = new Map<string, ReadyInstance>();
  readonly #pending = new Map<string, { readonly shape: PrewarmShape; readonly key: string }>();
  /** Builds in flight (a driver's start may be asynchronous), by driver. */
  readonly #building = new Map<string, Promise<void>>();

  /**
   * Takes the instance for `key` (it leaves the cache for good), or null — also when its
   * driver's start spent more fuel than `fuelBudget`: such a run starts cold and runs out
   * of fuel where a cold run does (the instance stays for the next run).
   */
  async take(driver: string, key: string, fuelBudget: number): Promise<ReadyInstance | null> {
    const pending = this.#pending.get(driver);
    if (pending?.key === key) void this.#build(driver);
    await this.#building.get(driver);
    const ready = this.#byDriver.get(driver);
    if (ready === undefined || ready.key !== key) return null;
    if (ready.started !== null && ready.started.fuel > BigInt(Math.floor(fuelBudget))) return null;
    this.#byDriver.delete(driver);
    return ready;
  }

  /**
   * Schedules an instance of `shape` to be built once `when` settled (default: when the
   * thread is idle) — or earlier, by the next `take` of its key. Nothing when its image has
   * no id; nothing either, when `ifVacant`, if one of its driver waits or is planned.
   */
  schedule(shape: PrewarmShape, ifVacant = false, when: Promise<unknown> = new Promise((resolve) => setImmediate(resolve))): void {
    const key = prewarmKey(shape);
    if (key === null) return;
    if (ifVacant && (this.#byDriver.has(shape.driver) || this.#pending.has(shape.driver) || this.#building.has(shape.driver))) return;
    this.#pending.set(shape.driver, { shape, key });
    const build = (): Promise<void> => this.#build(shape.driver);
    void when.then(build, build);
  }

  /** Number of instances waiting (for tests). */
  get size(): number {
    return this.#byDriver.size;
  }

  /**
   * Builds the pending instance of `driver`, if any, after any build of it in flight.
   * Never rejects: a shape that cannot be pre-built is just not kept.
   */
  #build(driver: string): Promise<void> {
    const before = this.#building.get(driver) ?? Promise.resolve();
    const build = before.then(async () => {
      const pending = this.#pending.get(driver);
      if (pending === undefined) return;
      this.#pending.delete(driver);
      if (this.#byDriver.get(driver)?.key === pending.key) return;
      // Dropped first, so the thread never holds two instances of one runtime at once.
      this.#byDriver.delete(driver);
      try {
        this.#byDriver.set(driver, await buildReadyInstance(pending.shape, pending.key));
      } catch {
        // Not kept: the next run of this shape builds its instance itself.
      }
    });
    this.#building.set(driver, build);
    void build.then(() => {
      if (this.#building.get(driver) === build) this.#building.delete(driver);
    });
    return build;
  }
}

function unbound(space: string, name: string): (...args: unknown[]) => never {
  return () => {
    throw new Error(`pre-warmed instance called ${space}.${name} before a run took it`);
  };
}
