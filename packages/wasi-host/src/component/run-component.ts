/**
 * The worker side of a component run: loads jco's glue, instantiates every core module
 * through `ctx.instantiate` (metered, on the run's one capped memory and fuel budget,
 * counted against the instance cap), and calls `wasi:cli/run`.
 */
import { ProcExit, type GuestContext, type MeteredImage } from "../types.js";
import { createWasiP2Imports, withVersions } from "./wasi-p2-imports.js";

/** What the runtime passes to the component driver as `driverData`. */
export interface ComponentDriverData {
  readonly glue: string;
  /** Core modules by file name (their `module` is a compiled WebAssembly.Module). */
  readonly coreModules: Readonly<Record<string, Omit<MeteredImage, "hash">>>;
  readonly imports: readonly string[];
  readonly runExport: string;
  readonly maxInstances: number;
}

type Instantiate = (
  getCoreModule: (path: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
  instantiateCore: (module: WebAssembly.Module, imports?: WebAssembly.Imports) => WebAssembly.Instance,
) => Promise<Record<string, { run(): void }>>;

/** Runs a prepared component; returns its exit code (see module doc). */
export async function runComponent(ctx: GuestContext): Promise<number> {
  const data = ctx.data as ComponentDriverData;
  const glue = (await import(`data:text/javascript;base64,${Buffer.from(data.glue).toString("base64")}`)) as { instantiate: Instantiate };
  const byModule = new Map<WebAssembly.Module, Omit<MeteredImage, "hash">>();
  for (const image of Object.values(data.coreModules)) byModule.set(image.module, image);
  const imports = withVersions(await createWasiP2Imports(ctx), data.imports);
  let instances = 0;
  try {
    const root = await glue.instantiate(
      (path) => {
        const image = data.coreModules[path];
        if (!image) throw new Error(`the component asked for an unknown core module ${path}`);
        return image.module;
      },
      imports,
      (module, coreImports) => {
        if (++instances > data.maxInstances) {
          throw new Error(`the component created more than ${data.maxInstances} core instances`);
        }
        const image = byModule.get(module);
        if (!image) throw new Error("the component instantiated a module that was not metered");
        return ctx.instantiate(coreImports ?? {}, image);
      },
    );
    const run = root[data.runExport];
    if (!run) throw new Error(`the component does not export ${data.runExport}`);
    ctx.shareFuel(); // instantiation ran start functions; pool what is left before running
    run.run();
    return 0;
  } catch (error) {
    if (ProcExit.isInstance(error)) return error.exitCode;
    // `run` returned `err` (jco throws a ComponentError carrying the payload).
    if (error instanceof Error && error.name === "ComponentError") return 1;
    throw error;
  }
}
