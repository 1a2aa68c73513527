/**
 * State persistence for Lua (`autoPersistGlobals`): the `_state` table of a session is
 * written after each successful execution to a Lua table constructor under the
 * sandbox's internal directory, and read back (text mode, empty environment) before the
 * next one. Only data survives: nil, booleans, numbers, strings and tables of those;
 * everything else is skipped and reported as a note.
 */
import { INTERNAL_DIR } from "@llm-wasm-sandbox/core";

/** Workspace-relative path of the Lua state file. */
export const LUA_STATE_PATH = `${INTERNAL_DIR}/lua-state.lua`;

/** Prefix of the stderr lines the state library emits for skipped values; engines move them to `notes`. */
export const LUA_STATE_NOTE_PREFIX = "[llm-wasm-sandbox] note: ";

/**
 * Lua source of the state library. Loading and calling the chunk returns a table
 * `{ load = function(path) -> table, save = function(path, state) -> ok, NOTE = prefix }`.
 * `save` writes skipped values to stderr as lines starting with LUA_STATE_NOTE_PREFIX.
 */
export const LUA_STATE_LIBRARY = String.raw`
local type, pairs, ipairs, pcall, tostring = type, pairs, ipairs, pcall, tostring
local format, concat, sort = string.format, table.concat, table.sort
local io_open, stderr, load = io.open, io.stderr, load
local NOTE = ${luaQuote(LUA_STATE_NOTE_PREFIX)}

local function keyrepr(k)
  local t = type(k)
  if t == "string" or t == "number" then return "[" .. format("%q", k) .. "]" end
  if t == "boolean" then return "[" .. tostring(k) .. "]" end
  return nil
end

local function serialize(v, path, seen, out, skipped)
  local t = type(v)
  if t == "string" or t == "number" then out[#out + 1] = format("%q", v); return true end
  if t == "boolean" or t == "nil" then out[#out + 1] = tostring(v); return true end
  if t ~= "table" then skipped[#skipped + 1] = path .. " (" .. t .. ")"; return false end
  if seen[v] then skipped[#skipped + 1] = path .. " (table cycle)"; return false end
  seen[v] = true
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    if ta == "number" or ta == "string" then return a < b end
    return false
  end)
  out[#out + 1] = "{"
  for _, k in ipairs(keys) do
    local kr = keyrepr(k)
    local child = path .. "[" .. (type(k) == "string" and format("%q", k) or tostring(k)) .. "]"
    if kr == nil then
      skipped[#skipped + 1] = child .. " (" .. type(k) .. " key)"
    else
      local mark = #out
      out[#out + 1] = kr .. "="
      if serialize(v[k], child, seen, out, skipped) then
        out[#out + 1] = ","
      else
        for i = #out, mark + 1, -1 do out[i] = nil end
      end
    end
  end
  out[#out + 1] = "}"
  seen[v] = nil
  return true
end

local M = { NOTE = NOTE }

function M.load(path)
  local f = io_open(path, "r")
  if not f then return {} end
  local src = f:read("a")
  f:close()
  local chunk = load(src, "=_state", "t", {})
  if not chunk then return {} end
  local ok, value = pcall(chunk)
  if ok and type(value) == "table" then return value end
  return {}
end

function M.save(path, state)
  if type(state) ~= "table" then
    stderr:write(NOTE, "_state is a ", type(state), ", not a table; it was not persisted\n")
    return false
  end
  local out, skipped = { "return " }, {}
  serialize(state, "_state", {}, out, skipped)
  for _, s in ipairs(skipped) do stderr:write(NOTE, s, " was not persisted\n") end
  local f, err = io_open(path, "w")
  if not f then
    stderr:write(NOTE, "_state could not be saved: ", tostring(err), "\n")
    return false
  end
  f:write(concat(out), "\n")
  f:close()
  return true
end

return M
`;

/**
 * Splits the state library's note lines out of a run's stderr.
 * @returns the stderr without those lines, and the notes (prefix removed).
 */
export function extractLuaStateNotes(stderr: string): { stderr: string; notes: string[] } {
  if (!stderr.includes(LUA_STATE_NOTE_PREFIX)) return { stderr, notes: [] };
  const notes: string[] = [];
  const kept: string[] = [];
  for (const line of stderr.split("\n")) {
    if (line.startsWith(LUA_STATE_NOTE_PREFIX)) notes.push(line.slice(LUA_STATE_NOTE_PREFIX.length));
    else kept.push(line);
  }
  return { stderr: kept.join("\n"), notes };
}

/** Quotes a string as a Lua literal (ASCII-only text). */
function luaQuote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
