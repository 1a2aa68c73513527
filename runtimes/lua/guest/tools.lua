-- Host functions ("code mode") for Lua: `tools.search{ query = "x" }`.
--
-- The bootstrap runs this chunk (text mode) right after it opens the control device, and
-- only when the run has tools, with the device's handle and the tool manifest (JSON text);
-- the chunk returns the `tools` table. Each tool is a function taking one table of named
-- arguments, sent as a JSON object; the result comes back as Lua values: tables for JSON
-- objects and arrays, strings, integers/floats, booleans, and `tools.null` for a JSON null
-- inside a result (a null result is nil). A failed call raises a ToolError table
-- (`err.tool`, `err.kind`, `err.message`; `tostring(err)` is "tool: kind: message"),
-- which `pcall` catches.
--
-- Encoding: a table whose keys are 1..n is an array, one with string keys an object; an
-- empty table nested in the arguments is an empty array (tables decoded from a result
-- keep what they were). A call is one JSON line written to the control device and one
-- reply line read back; the program waits while the host runs the handler.

local control, manifest_json = ...
local type, next, tostring, tonumber, error, setmetatable, getmetatable, rawget, rawlen =
  type, next, tostring, tonumber, error, setmetatable, getmetatable, rawget, rawlen
local math_type, huge = math.type, math.huge
local byte, find, format, gsub, sub = string.byte, string.find, string.format, string.gsub, string.sub
local concat, utf8_char, utf8_len = table.concat, utf8.char, utf8.len
local file_write, file_flush, file_read = control.write, control.flush, control.read

local null = setmetatable({}, {
  __name = "tools.null",
  __tostring = function() return "tools.null" end,
  __newindex = function() error("tools.null is read-only", 2) end,
})
-- Tables decoded from JSON remember what they were, so an empty one re-encodes the same way.
local object_mt, array_mt = { __name = "tools.object" }, { __name = "tools.array" }
local MAX_DEPTH = 200

local ToolError = {
  __name = "ToolError",
  __tostring = function(e) return e.tool .. ": " .. e.kind .. ": " .. e.message end,
}
local function tool_error(tool, kind, message)
  return setmetatable({ tool = tool, kind = kind, message = message }, ToolError)
end

-- Encoding ---------------------------------------------------------------------------

local ESCAPES = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }
local function escape(c) return ESCAPES[c] or format("\\u%04x", byte(c)) end

local function encode_string(s)
  if not utf8_len(s) then error("tool arguments must be UTF-8 text", 0) end
  return '"' .. gsub(s, '[%c"\\]', escape) .. '"'
end

local function is_array(t)
  local mt = getmetatable(t)
  if mt == array_mt then return true end
  if mt == object_mt then return false end
  local count = 0
  for k in next, t do
    if math_type(k) ~= "integer" or k < 1 then return false end
    count = count + 1
  end
  return count == rawlen(t)
end

local encode
local function encode_table(t, depth, out)
  if depth > MAX_DEPTH then error("tool arguments nest too deeply", 0) end
  if is_array(t) then
    out[#out + 1] = "["
    for i = 1, rawlen(t) do
      if i > 1 then out[#out + 1] = "," end
      encode(rawget(t, i), depth + 1, out)
    end
    out[#out + 1] = "]"
    return
  end
  out[#out + 1] = "{"
  local first = true
  for k, v in next, t do
    if type(k) ~= "string" then
      error("tool arguments: a table is either an array (keys 1..n) or an object (string keys), not a mix (key " .. tostring(k) .. ")", 0)
    end
    if not first then out[#out + 1] = "," end
    first = false
    out[#out + 1] = encode_string(k)
    out[#out + 1] = ":"
    encode(v, depth + 1, out)
  end
  out[#out + 1] = "}"
end

encode = function(v, depth, out)
  local t = type(v)
  if v == null then out[#out + 1] = "null"
  elseif t == "string" then out[#out + 1] = encode_string(v)
  elseif t == "boolean" then out[#out + 1] = v and "true" or "false"
  elseif t == "number" then
    if math_type(v) == "integer" then out[#out + 1] = format("%d", v)
    elseif v ~= v or v == huge or v == -huge then error("tool arguments must be finite numbers, not " .. tostring(v), 0)
    else out[#out + 1] = format("%.17g", v) end
  elseif t == "table" then encode_table(v, depth, out)
  else error("tool arguments must be JSON data (tables, strings, numbers, booleans, tools.null), not a " .. t, 0) end
end

-- Decoding (of the host's replies, which JSON.stringify wrote) -------------------------

local UNESCAPE = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

local function bad(s, i) error(format("the host's reply is not JSON (at byte %d)", i), 0) end

local function skip(s, i) return find(s, "[^ \t\r\n]", i) or #s + 1 end

local function decode_string(s, i)
  local j, parts, n = i + 1, nil, 0
  while true do
    local a = find(s, '["\\]', j)
    if not a then bad(s, i) end
    if byte(s, a) == 34 then
      if not parts then return sub(s, j, a - 1), a + 1 end
      parts[n + 1] = sub(s, j, a - 1)
      return concat(parts), a + 1
    end
    parts = parts or {}
    n = n + 1
    parts[n] = sub(s, j, a - 1)
    local c = sub(s, a + 1, a + 1)
    if c == "u" then
      local cp = tonumber(sub(s, a + 2, a + 5), 16) or bad(s, a)
      j = a + 6
      if cp >= 0xD800 and cp <= 0xDBFF and sub(s, j, j + 1) == "\\u" then
        local lo = tonumber(sub(s, j + 2, j + 5), 16)
        if lo and lo >= 0xDC00 and lo <= 0xDFFF then
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
          j = j + 6
        end
      end
      n = n + 1
      parts[n] = utf8_char(cp)
    else
      n = n + 1
      parts[n] = UNESCAPE[c] or bad(s, a)
      j = a + 2
    end
  end
end

local decode
local function decode_array(s, i, depth)
  local t, n = setmetatable({}, array_mt), 0
  i = skip(s, i + 1)
  if byte(s, i) == 93 then return t, i + 1 end
  while true do
    local v
    v, i = decode(s, i, depth + 1)
    n = n + 1
    t[n] = v
    i = skip(s, i)
    local c = byte(s, i)
    if c == 93 then return t, i + 1 end
    if c ~= 44 then bad(s, i) end
    i = skip(s, i + 1)
  end
end

local function decode_object(s, i, depth)
  local t = setmetatable({}, object_mt)
  i = skip(s, i + 1)
  if byte(s, i) == 125 then return t, i + 1 end
  while true do
    if byte(s, i) ~= 34 then bad(s, i) end
    local k, v
    k, i = decode_string(s, i)
    i = skip(s, i)
    if byte(s, i) ~= 58 then bad(s, i) end
    v, i = decode(s, skip(s, i + 1), depth + 1)
    t[k] = v
    i = skip(s, i)
    local c = byte(s, i)
    if c == 125 then return t, i + 1 end
    if c ~= 44 then bad(s, i) end
    i = skip(s, i + 1)
  end
end

decode = function(s, i, depth)
  if depth > 10000 then error("the host's reply nests too deeply", 0) end
  local c = byte(s, i)
  if c == 123 then return decode_object(s, i, depth)
  elseif c == 91 then return decode_array(s, i, depth)
  elseif c == 34 then return decode_string(s, i)
  elseif c == 116 and sub(s, i, i + 3) == "true" then return true, i + 4
  elseif c == 102 and sub(s, i, i + 4) == "false" then return false, i + 5
  elseif c == 110 and sub(s, i, i + 3) == "null" then return null, i + 4
  end
  local a, b = find(s, "^-?%d+%.?%d*[eE]?[-+]?%d*", i)
  if not a then bad(s, i) end
  return tonumber(sub(s, a, b)) or bad(s, i), b + 1
end

local function decode_json(s)
  local v, i = decode(s, skip(s, 1), 0)
  if skip(s, i) <= #s then bad(s, i) end
  return v
end

-- Calls ------------------------------------------------------------------------------

-- A successful reply is this prefix, the result's JSON and "}": the result is decoded in
-- place, without building the wrapper object (most of a call's cost otherwise).
local OK_PREFIX = '{"ok":true,"value":'
local OK_VALUE_AT = #OK_PREFIX + 1

-- One request line out, one reply line back: true and the result, false and the reply
-- object of a failure, or nil when the host did not answer.
local function request(line)
  file_write(control, line, "\n")
  file_flush(control)
  local reply = file_read(control, "l")
  if reply == nil then return nil end
  if sub(reply, 1, OK_VALUE_AT - 1) == OK_PREFIX then
    local ok, value, after = pcall(decode, reply, OK_VALUE_AT, 0)
    if ok and sub(reply, after) == "}" then return true, value end
  end
  local ok, value = pcall(decode_json, reply)
  if not ok or type(value) ~= "table" then return nil end
  if value.ok == true then return true, value.value end
  return false, value
end

local tools = {}

--- Calls the host function `name` with a table of named arguments.
local function call(name, args)
  if type(name) ~= "string" then error("tools.call: the tool's name must be a string", 2) end
  if args == nil then args = {} end
  if type(args) ~= "table" or args == null or (next(args) ~= nil and is_array(args)) then
    error(name .. " takes one table of named arguments, e.g. tools." .. name .. "{ query = \"x\" }", 2)
  end
  local tool = find(name, "^[%w_]+$") and '"' .. name .. '"' or encode_string(name)
  local line
  if next(args) == nil then
    line = '{"kind":"call","tool":' .. tool .. ',"args":{}}'
  else
    local out = { '{"kind":"call","tool":', tool, ',"args":' }
    encode_table(args, 0, out)
    out[#out + 1] = "}"
    line = concat(out)
  end
  local ok, reply = request(line)
  if ok == nil then error(tool_error(name, "NoReply", "the host did not answer")) end
  if ok then
    if reply == null then return nil end
    return reply
  end
  local e = type(reply.error) == "table" and reply.error or {}
  error(tool_error(name, type(e.name) == "string" and e.name or "ToolError", type(e.message) == "string" and e.message or ""))
end

local docs = {}
local manifest = decode_json(manifest_json)
for i = 1, #manifest do
  local entry = manifest[i]
  local name = entry.name
  local params = {}
  for j, p in ipairs(entry.parameters) do params[j] = p.name .. (p.required and "" or "?") .. ": " .. p.type end
  local signature = #params == 0 and "{}" or "{ " .. concat(params, ", ") .. " }"
  local lines = { format("tools.%s%s -> %s", name, signature, entry.returns), entry.description }
  for _, p in ipairs(entry.parameters) do
    if type(p.description) == "string" then lines[#lines + 1] = "  " .. p.name .. ": " .. p.description end
  end
  docs[name] = concat(lines, "\n")
  tools[name] = function(args) return call(name, args) end
end

tools.call = call
tools.null = null
--- The documentation of one tool, or of all of them.
tools.describe = function(name)
  if name ~= nil then return docs[name] end
  local all = {}
  for i = 1, #manifest do all[i] = docs[manifest[i].name] end
  return concat(all, "\n\n")
end
return tools
