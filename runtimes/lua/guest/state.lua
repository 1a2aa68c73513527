-- State persistence for Lua (`autoPersistGlobals`): the `_state` table of a session is
-- written after each successful execution to a Lua table constructor under the
-- sandbox's internal directory, and read back (text mode, empty environment) before the
-- next one. Only data survives: nil, booleans, numbers, strings and tables of those;
-- everything else is skipped and reported by the bootstrap as a `state` fact.
--
-- Loading and calling the chunk returns a table
-- { load = function(path, sethook) -> table, problem?,
--   save = function(path, state) -> written, skipped, problem? }.

local type, pairs, ipairs, pcall, tostring = type, pairs, ipairs, pcall, tostring
local format, concat, sort = string.format, table.concat, table.sort
local io_open, load = io.open, load

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
  if t ~= "table" then skipped[#skipped + 1] = { path, "a " .. t .. " cannot be persisted" }; return false end
  if seen[v] then skipped[#skipped + 1] = { path, "a table cycle cannot be persisted" }; return false end
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
      skipped[#skipped + 1] = { child, "a " .. type(k) .. " key cannot be persisted" }
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

local M = {}

-- Returns the saved table (a fresh one when there is none), and a reason when a saved
-- state existed but could not be read: never an error, so a damaged file cannot stop runs.
-- A saved file is guest-written: it is run in an empty environment, text only, and
-- stopped after a bounded number of VM instructions (sethook) so it can never hang a run.
function M.load(path, sethook)
  local f = io_open(path, "r")
  if not f then return {} end
  local src = f:read("a")
  f:close()
  local chunk, err = load(src or "", "=_state", "t", {})
  if not chunk then return {}, "the saved _state does not parse: " .. tostring(err) end
  if sethook then sethook(function() error("it takes too long to load", 0) end, "", 10000000) end
  local ok, value = pcall(chunk)
  if sethook then sethook() end
  if ok and type(value) == "table" then return value end
  return {}, ok and "the saved _state is not a table" or ("the saved _state failed to load: " .. tostring(value))
end

-- Returns written (boolean), the skipped values as { path, reason } pairs, and a reason
-- when nothing was written.
function M.save(path, state)
  if type(state) ~= "table" then return false, {}, "_state is a " .. type(state) .. ", not a table" end
  local out, skipped = { "return " }, {}
  serialize(state, "_state", {}, out, skipped)
  local f, err = io_open(path, "w")
  if not f then return false, skipped, "could not write the state file: " .. tostring(err) end
  f:write(concat(out), "\n")
  f:close()
  return true, skipped
end

return M
