import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Daemon, freePorts, run, startDaemon, waitFor } from "./daemon.js";

/** A running one-node Ceph cluster with a RADOS Gateway (S3) on 127.0.0.1. */
export interface CephRgw {
  /** `http://127.0.0.1:<port>` of the gateway. */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Where config, logs and the monitor's store live (removed by `stop`). */
  readonly dir: string;
  /** How long the cluster took to start, ms. */
  readonly startupMs: number;
  /** Stops every daemon and removes `dir`. */
  stop(): Promise<void>;
}

/** Options of `startCephRgw`. */
export interface CephRgwOptions {
  /** Give up (and clean up) when the cluster is not serving S3 after this long (default 120 s). */
  readonly timeoutMs?: number;
  /** Memory the memstore OSD may use for objects, bytes (default 2 GiB; allocated as used). */
  readonly osdBytes?: number;
}

/** Debian packages the cluster needs, with the binaries that tell they are installed. */
export const CEPH_PACKAGES: Readonly<Record<string, string>> = { "ceph-mon": "/usr/bin/ceph-mon", "ceph-osd": "/usr/bin/ceph-osd", radosgw: "/usr/bin/radosgw" };

/** Null when the Ceph binaries are installed; otherwise the `apt-get install` line that installs them. */
export function missingCeph(): string | null {
  const missing = Object.entries(CEPH_PACKAGES).filter(([, bin]) => !existsSync(bin));
  return missing.length === 0 ? null : `apt-get update && apt-get install -y --no-install-recommends ${missing.map(([p]) => p).join(" ")}`;
}

/**
 * Starts a monitor, one OSD on memstore (objects in memory: nothing on disk but
 * the monitor's small store) and a RADOS Gateway with beast on 127.0.0.1, all as
 * plain processes in a temp dir (no systemd, no root needed), plus an S3 user.
 * Authentication between daemons is off (loopback only); S3 requests are signed
 * with the user's keys as usual. Takes ~15–30 s. Every daemon dies with the
 * calling process (see startDaemon).
 */
export async function startCephRgw(options: CephRgwOptions = {}): Promise<CephRgw> {
  const missing = missingCeph();
  if (missing) throw new Error(`Ceph is not installed — run: ${missing}`);
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 120_000);
  const dir = await mkdtemp(join(tmpdir(), "llm-sandbox-ceph-"));
  const daemons: Daemon[] = [];
  const stop = async (): Promise<void> => {
    for (const d of daemons.reverse()) await d.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const [monPort, rgwPort] = (await freePorts(2)) as [number, number];
    const conf = join(dir, "ceph.conf");
    const fsid = randomUUID();
    for (const sub of ["mon/mon.a", "osd/osd.0", "run", "log", "rgw"]) await mkdir(join(dir, sub), { recursive: true });
    await writeFile(conf, cephConf(dir, fsid, monPort, rgwPort, options.osdBytes ?? 2 * 1024 ** 3));
    const ceph = (...args: string[]): Promise<string> => run("ceph", ["-c", conf, "--connect-timeout", "10", ...args], { timeoutMs: 20_000 });

    await run("monmaptool", ["--create", "--addv", "a", `[v2:127.0.0.1:${monPort}]`, "--fsid", fsid, join(dir, "monmap")]);
    await run("ceph-authtool", ["--create-keyring", join(dir, "keyring"), "--gen-key", "-n", "mon.", "--cap", "mon", "allow *"]);
    await run("ceph-mon", ["-c", conf, "--mkfs", "-i", "a", "--monmap", join(dir, "monmap"), "--keyring", join(dir, "keyring")]);
    daemons.push(startDaemon("ceph-mon", "ceph-mon", ["-c", conf, "-i", "a", "-f"], { cwd: dir, logFile: join(dir, "log", "mon.out") }));
    await waitFor("the Ceph monitor", deadline, async () => (await ceph("mon", "stat")).includes("quorum"));

    const osdUuid = randomUUID();
    const id = (await ceph("osd", "new", osdUuid)).trim();
    if (id !== "0") throw new Error(`unexpected OSD id ${id}`);
    await run("ceph-osd", ["-c", conf, "-i", "0", "--mkfs", "--osd-uuid", osdUuid]);
    daemons.push(startDaemon("ceph-osd", "ceph-osd", ["-c", conf, "-i", "0", "-f"], { cwd: dir, logFile: join(dir, "log", "osd.out") }));
    await waitFor("the Ceph OSD", deadline, async () => (JSON.parse(await ceph("osd", "stat", "-f", "json")) as { num_up_osds?: number }).num_up_osds === 1);

    daemons.push(startDaemon("radosgw", "radosgw", ["-c", conf, "-n", "client.rgw.a", "-f"], { cwd: dir, logFile: join(dir, "log", "rgw.out") }));
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    await waitFor("the RADOS Gateway", deadline, async () => (await fetch(endpoint)).status === 200, 500);

    const accessKeyId = `AK${randomBytes(9).toString("hex").toUpperCase()}`;
    const secretAccessKey = randomBytes(24).toString("hex");
    await run("radosgw-admin", ["-c", conf, "user", "create", "--uid=sandbox-test", "--display-name=sandbox-test", `--access-key=${accessKeyId}`, `--secret-key=${secretAccessKey}`], { timeoutMs: 60_000 });
    return { endpoint, accessKeyId, secretAccessKey, dir, startupMs: Date.now() - started, stop };
  } catch (e) {
    const logs = await tailLogs(dir);
    await stop();
    throw new Error(`could not start Ceph RGW: ${(e as Error).message}\n${logs}`, { cause: e });
  }
}

function cephConf(dir: string, fsid: string, monPort: number, rgwPort: number, osdBytes: number): string {
  return `[global]
fsid = ${fsid}
mon host = [v2:127.0.0.1:${monPort}]
public network = 127.0.0.1/32
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 1
mon data avail crit = 0
osd objectstore = memstore
memstore device bytes = ${osdBytes}
run dir = ${dir}/run
admin socket = ${dir}/run/$name.asok
log file = ${dir}/log/$name.log
pid file = ${dir}/run/$name.pid
mon data = ${dir}/mon/$name
osd data = ${dir}/osd/$name
keyring = ${dir}/keyring

[client.rgw.a]
# radosgw insists on "secure" mon connections by default, which auth "none" cannot offer.
ms mon client mode = crc secure
rgw frontends = beast endpoint=127.0.0.1:${rgwPort} tcp_nodelay=1
rgw data = ${dir}/rgw
rgw thread pool size = 64
`;
}

async function tailLogs(dir: string): Promise<string> {
  const out: string[] = [];
  for (const name of ["mon.out", "osd.out", "rgw.out", "client.rgw.a.log", "mon.a.log", "osd.0.log"]) {
    const text = await readFile(join(dir, "log", name), "utf8").catch(() => "");
    if (text) out.push(`--- ${name}\n${text.split("\n").slice(-15).join("\n")}`);
  }
  return out.join("\n");
}
