import type { GuestContext, MeteredImage } from "./types.js";

/**
 * The run's module and image, for drivers that run one (every spec with an `image`).
 * @throws TypeError when the run has none (the driver was meant to compile its own).
 */
export function requireImage(ctx: GuestContext): { readonly module: WebAssembly.Module; readonly image: Omit<MeteredImage, "module"> } {
  if (ctx.module === null || ctx.image === null) throw new TypeError("this driver needs a run with an image (RunSpec.image), but the run has none");
  return { module: ctx.module, image: ctx.image };
}
