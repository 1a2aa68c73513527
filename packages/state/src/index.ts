export * as python from "./python.js";
export * as lua from "./lua.js";
export * as javascript from "./javascript.js";
export * as ruby from "./ruby.js";
