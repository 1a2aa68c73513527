/**
 * What the Ruby plugin hands its driver (`RunSpec.driverData`, and the snapshot run's):
 * plain data, checked at both ends by `parseRubyDriverData`.
 */

/** The Ruby driver's input. */
export type RubyDriverData =
  | {
      /** Boot the VM and save the snapshot every run starts from. */
      readonly mode: "snapshot";
      /** Ruby source evaluated after `ruby-init` (the sandbox's runtime helpers). */
      readonly bootstrap: string;
    }
  | {
      /** Restore the snapshot into a fresh instance and run the user's file. */
      readonly mode: "run";
      /** Ruby source evaluated in the restored VM (ends the guest with `exit!`). */
      readonly script: string;
      /** Guest path of the control device the script opens first. */
      readonly controlPath: string;
    };

/**
 * Checks driver data.
 * @throws TypeError naming the bad field (a plugin/driver version mismatch).
 */
export function parseRubyDriverData(data: unknown): RubyDriverData {
  if (typeof data !== "object" || data === null) throw new TypeError("Ruby driver: driverData must be an object");
  const d = data as Record<string, unknown>;
  const str = (k: string): string => {
    if (typeof d[k] !== "string") throw new TypeError(`Ruby driver: driverData.${k} must be a string`);
    return d[k];
  };
  if (d.mode === "snapshot") return { mode: "snapshot", bootstrap: str("bootstrap") };
  if (d.mode === "run") return { mode: "run", script: str("script"), controlPath: str("controlPath") };
  throw new TypeError('Ruby driver: driverData.mode must be "snapshot" or "run"');
}
