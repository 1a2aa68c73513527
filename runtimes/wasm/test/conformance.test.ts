import { describeRuntimeConformance } from "@llm-wasm-sandbox/testkit";
import { wasmPlugin } from "../src/index.js";
import { snippets } from "./snippets.js";

describeRuntimeConformance(wasmPlugin, snippets);
