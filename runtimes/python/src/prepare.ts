/**
 * What one Python execution needs, as data: the RunSpec (image, driver, the snapshot it
 * starts from and the per-run configuration, argv, environment, mounts). No I/O happens here.
 */
import { createHash } from "node:crypto";
import type { ImageSource, PrepareRequest, ReadonlyMount, Refusal, RunSpec, SnapshotSpec } from "@llm-wasm-sandbox/core";
import { GUEST_HOME_ENV } from "@llm-wasm-sandbox/core/workspace-path";
import { CONTROL_DEVICE_PATH } from "@llm-wasm-sandbox/wasi-host/host";
import { STATE_FILE, USER_CODE_GUEST_PATH } from "./constants.js";
import type { InitConfig } from "./driver/cpython.js";
import { parseDriverData, type SnapshotDriverData } from "./driver/driver-data.js";
import { SANDBOX_LIB_GUEST_PATH } from "./sandbox-lib.js";
import { STDLIB_GUEST_PATH } from "./stdlib.js";
import { SITE_PACKAGES_GUEST_PATH } from "./vendor/vendor.js";

/**
 * CPython's configuration (PEP 741 names): UTF-8 everywhere, no `site` (the bootstrap
 * defines `exit`/`quit`), no environment variables read at start (the snapshot is shared
 * by every run; a run's environment is applied by the bootstrap), no bytecode written
 * (it would show up as created files), unbuffered standard streams (output printed before
 * a trap is not lost), and a fixed hash seed: string hashing decides dict and set layout,
 * so a fixed seed is what makes fuel deterministic (and the snapshot shareable).
 */
export const INIT_CONFIG: InitConfig = {
  ints: {
    utf8_mode: 1,
    site_import: 0,
    user_site_directory: 0,
    use_environment: 0,
    parse_argv: 0,
    write_bytecode: 0,
    buffered_stdio: 0,
    install_signal_handlers: 0,
    pathconfig_warnings: 0,
    safe_path: 1,
    use_hash_seed: 1,
    hash_seed: 0,
  },
  strings: { home: "/", program_name: "python", stdio_encoding: "utf-8" },
  lists: { module_search_paths: [STDLIB_GUEST_PATH, SANDBOX_LIB_GUEST_PATH] },
};

/**
 * Python run in the snapshot after initialization. It also applies the environment most
 * runs get (the guest's home, see `preparePythonRun`), so they need not set it again. A
 * JSON object of strings is a valid Python dict literal.
 */
export const WARMUP = `__import__("_llm_sandbox.boot", fromlist=["prepare"]).prepare(${JSON.stringify(STDLIB_GUEST_PATH)}, ${JSON.stringify(GUEST_HOME_ENV)})`;

/** Guest paths the runtime mounts itself; a request may not mount over them. */
export const RESERVED_MOUNTS: readonly string[] = [STDLIB_GUEST_PATH, SANDBOX_LIB_GUEST_PATH];

/** The per-run configuration the bootstrap reads (`_llm_sandbox/boot.py`). */
export interface BootConfig {
  readonly userPath: string;
  readonly control: string;
  readonly env: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  readonly stdlib: string;
  /** Further `sys.path` entries after the standard library (vendored packages). */
  readonly paths: readonly string[];
  readonly statePath: string | null;
}


/**
 * The snapshot every run starts from: CPython initialized with INIT_CONFIG, the warm-up
 * run, the stack window narrowed to `stackBytes`, taken by the host once (and kept in its
 * cache directory) with the runtime's own mounts. The host's key covers the image, the
 * driver file, this driver data and `key`; `key` names what the mounts hold, since host
 * directories are not hashed: their cache entries' names (`contentNames`, versioned) and
 * a hash of the in-memory files.
 */
export function snapshotSpec(mounts: readonly ReadonlyMount[], contentNames: readonly string[], stackBytes: number): SnapshotSpec {
  const h = createHash("sha256");
  for (const name of contentNames) h.update(`${name}\0`);
  for (const m of mounts) {
    h.update(`\0${m.guestPath}`);
    for (const [name, bytes] of Object.entries(m.files ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`\0${name}\0`).update(bytes);
  }
  const driverData: SnapshotDriverData = { mode: "snapshot", init: INIT_CONFIG, warmup: WARMUP, stackBytes };
  return { key: `python:${h.digest("hex").slice(0, 32)}`, driverData, mountPaths: mounts.map((m) => m.guestPath), mounts };
}

/** What every run of a host shares (loaded once per host). */
export interface PythonAssets {
  readonly image: ImageSource;
  /** File URL of the built driver. */
  readonly driver: string;
  readonly snapshot: SnapshotSpec;
  /** The runtime's own mounts (standard library, sandbox lib). */
  readonly baseMounts: readonly ReadonlyMount[];
  /** The vendor directory, when it exists (mounted read-only at /data/site-packages). */
  readonly vendorDir: string | null;
}

/** The RunSpec of one request, or a refusal when it mounts over a path the runtime needs. */
export function preparePythonRun(request: PrepareRequest, assets: PythonAssets): RunSpec | Refusal {
  const clash = request.mounts.find((m) => RESERVED_MOUNTS.includes(m.guestPath));
  if (clash) {
    return {
      kind: "refusal",
      name: "MountRefused",
      message: `${clash.guestPath} is where the Python runtime mounts its own files`,
      guidance: ["Mount data elsewhere, e.g. under /data/<name>."],
    };
  }
  const mounts: ReadonlyMount[] = [...assets.baseMounts];
  const paths: string[] = [];
  if (!request.mounts.some((m) => m.guestPath === SITE_PACKAGES_GUEST_PATH) && assets.vendorDir !== null) {
    mounts.push({ guestPath: SITE_PACKAGES_GUEST_PATH, hostPath: assets.vendorDir });
  }
  if ([...mounts, ...request.mounts].some((m) => m.guestPath === SITE_PACKAGES_GUEST_PATH)) paths.push(SITE_PACKAGES_GUEST_PATH);
  const args = request.args;
  const config = JSON.stringify({
    userPath: USER_CODE_GUEST_PATH,
    control: CONTROL_DEVICE_PATH,
    // The guest's own home and user name (Path.home, expanduser, getpass.getuser); the policy's env wins.
    env: { ...GUEST_HOME_ENV, ...request.policy.env },
    args,
    stdlib: STDLIB_GUEST_PATH,
    paths,
    statePath: request.autoPersistGlobals ? `/app/${STATE_FILE}` : null,
  } satisfies BootConfig);
  return {
    kind: "run",
    image: assets.image,
    driver: assets.driver,
    driverData: parseDriverData({ mode: "run", config, controlPath: CONTROL_DEVICE_PATH }),
    argv: ["python", USER_CODE_GUEST_PATH, ...args],
    mounts,
    snapshot: assets.snapshot,
  };
}
