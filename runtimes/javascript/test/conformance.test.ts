import { describeRuntimeConformance } from "@llm-wasm-sandbox/testkit";
import javascriptPlugin from "../src/index.js";
import { javascriptSnippets } from "./snippets.js";

describeRuntimeConformance(javascriptPlugin, javascriptSnippets);
