// An MCP client for llm-wasm-mcp over stdio. The README's Claude Desktop configuration
// runs `npx -y @llm-wasm-sandbox/mcp-server`, which starts this same `llm-wasm-mcp` with no
// arguments; here it comes from node_modules/.bin (`npm start` puts that on PATH).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const client = new Client({ name: "mcp-client-example", version: "1.0.0" });
await client.connect(new StdioClientTransport({ command: "llm-wasm-mcp", args: [], stderr: "ignore" }));

try {
  // What this server runs, and which languages could be added to it (and how).
  const runtimes = await client.callTool({ name: "list_runtimes", arguments: {} });
  console.log(runtimes.content[0].text);

  // One program per language; each call starts a fresh session (pass session_id to keep /app).
  const python = await client.callTool({ name: "execute_code", arguments: { language: "python", code: "print(sum(i * i for i in range(5)))" } });
  console.log("python:", python.structuredContent.stdout.trim());
  const javascript = await client.callTool({ name: "execute_code", arguments: { language: "javascript", code: "console.log([1, 2, 3].map((x) => x * 2).join(','))" } });
  console.log("javascript:", javascript.structuredContent.stdout.trim());

  // A language that is not installed: an error result that says how to add it.
  const ruby = await client.callTool({ name: "execute_code", arguments: { language: "ruby", code: "puts 1" } });
  console.log("ruby:", ruby.isError ? ruby.content[0].text : ruby.structuredContent.stdout.trim());
} finally {
  await client.close();
}
