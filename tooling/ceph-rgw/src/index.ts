export { startCephRgw, missingCeph, CEPH_PACKAGES, type CephRgw, type CephRgwOptions } from "./ceph-cluster.js";
export { startFaultProxy, type FaultProxy, type FaultAction, type ProxiedRequest } from "./fault-proxy.js";
export { startDaemon, freePort, freePorts, run, waitFor, type Daemon } from "./daemon.js";
export { startHaproxy, haproxyConfig, type Haproxy, type HaproxyOptions } from "./haproxy.js";
