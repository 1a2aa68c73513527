-- The Lua chunk the driver runs first, in text mode, with the standard libraries open.
-- It closes the ways out of the sandbox's rules before any user code runs, then loads
-- and runs /app/user_code.lua under a traceback handler (then returns its exit code and
-- the function that runs a next file, for warm sessions). Arguments (`...`): the user
-- file, the state library source or nil, the state file or nil, two random seed
-- integers (as strings), the control device's path, the host functions' library source
-- (guest/tools.lua) and manifest (JSON) or nil and nil, then the script args.
--
-- It opens the control device before anything else and reports on it, as JSON lines,
-- the uncaught error ({"kind":"error",...}) and what happened to `_state`
-- ({"kind":"state",...}); stderr gets only what the `lua` interpreter would print.
--
-- Refused by construction (the originals are kept only as locals of this chunk):
-- - binary chunks: `load`, `loadfile`, `dofile` and `require` load text only; crafted
--   bytecode is a known way to break Lua's VM;
-- - `package.loadlib` and the C module searchers; `os.execute`, `io.popen`;
-- - most of `debug` (only `traceback` and `getinfo` remain).
-- Files go through the VirtualFs, so `io.open`, `os.remove` and `os.rename` reach /app
-- (read-write) and the read-only mounts only.
--
-- Inlined into the driver at build time (runtimes/lua/src/driver.ts imports it `?raw`).

local user_path, state_src, state_path, seed_a, seed_b, control_path, tools_src, tools_manifest = ...
local script_args = table.pack(select(9, ...))
-- math.random draws from the run's random source (seeded when the policy is deterministic).
math.randomseed(tonumber(seed_a), tonumber(seed_b))
local G = _G
local raw_load, type, select, error, tostring, pcall, xpcall, getmetatable =
  load, type, select, error, tostring, pcall, xpcall, getmetatable
local io_open, stdout, stderr = io.open, io.stdout, io.stderr
local file_write, file_flush = stderr.write, stdout.flush
local traceback, getinfo, sethook = debug.traceback, debug.getinfo, debug.sethook
local os_exit, unpack, format, gsub, sub = os.exit, table.unpack, string.format, string.gsub, string.sub
local searchpath, preload_searcher = package.searchpath, package.searchers[1]
local byte, concat = string.byte, table.concat

-- The control channel: opened first, so user code never gets hold of it.
local control = io_open(control_path, "r+")
-- Host functions: the `tools` global, over the same handle (guest/tools.lua).
if tools_src and control then G.tools = raw_load(tools_src, "=tools", "t")(control, tools_manifest) end
local function json_string(s)
  return '"' .. gsub(s, '[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\" end
    return format("\\u%04x", byte(c))
  end) .. '"'
end
-- One JSON object per line; values are strings, or { json = "…" } for pre-encoded JSON.
local function report(...)
  if not control then return end
  local n, parts = select("#", ...), {}
  for i = 1, n, 2 do
    local k, v = select(i, ...)
    if type(v) == "string" then parts[#parts + 1] = json_string(k) .. ":" .. json_string(v)
    elseif type(v) == "table" then parts[#parts + 1] = json_string(k) .. ":" .. v.json end
  end
  pcall(control.write, control, "{", concat(parts, ","), "}\n")
  pcall(control.flush, control)
end

local function load_text(chunk, chunkname, _mode, ...)
  if select("#", ...) > 0 then return raw_load(chunk, chunkname, "t", (...)) end
  return raw_load(chunk, chunkname, "t")
end

local function loadfile_text(filename, mode, ...)
  if filename == nil then return nil, "loadfile from standard input is not available in the sandbox" end
  local f, err = io_open(filename, "r")
  if not f then return nil, "cannot open " .. tostring(err) end
  local src = f:read("a")
  f:close()
  if src == nil then return nil, "cannot read " .. tostring(filename) end
  -- Like luaL_loadfile: a first line starting with '#' (a shebang) is skipped, line numbers kept.
  if sub(src, 1, 1) == "#" then src = "--" .. src end
  return load_text(src, "@" .. filename, mode, ...)
end

local function dofile_text(filename)
  local chunk, err = loadfile_text(filename)
  if not chunk then error(err, 0) end
  return chunk()
end

local function lua_searcher(name)
  local path = package.path
  if type(path) ~= "string" then error("'package.path' must be a string", 0) end
  local filename, err = searchpath(name, path)
  if not filename then return err end
  local chunk, lerr = loadfile_text(filename)
  if not chunk then
    error(format("error loading module '%s' from file '%s':\n\t%s", name, filename, lerr), 0)
  end
  return chunk, filename
end

G.load, G.loadfile, G.dofile = load_text, loadfile_text, dofile_text
package.searchers = { preload_searcher, lua_searcher }
package.path = "/app/?.lua;/app/?/init.lua;/data/lua/?.lua;/data/lua/?/init.lua"
package.cpath = ""
package.loadlib = nil
os.execute, io.popen = nil, nil
-- The C library here accepts any locale name and reports it back as set; only the C
-- locales exist, so any other name gets nil (what native Lua answers for a missing locale).
local setlocale = os.setlocale
local C_LOCALES = { [""] = true, C = true, POSIX = true, ["C.UTF-8"] = true, ["C.utf8"] = true }
local CATEGORIES = { all = true, collate = true, ctype = true, monetary = true, numeric = true, time = true }
os.setlocale = function(locale, category)
  if category ~= nil and CATEGORIES[category] == nil then
    error(format("bad argument #2 to 'os.setlocale' (invalid option '%s')", tostring(category)), 0)
  end
  if locale ~= nil and C_LOCALES[locale] == nil then return nil end
  return setlocale(locale, category)
end
G.debug = { traceback = traceback, getinfo = getinfo }
package.loaded.debug = G.debug

local state, saved = nil, false
if state_src then
  state = raw_load(state_src, "=state", "t")()
  local value, problem = state.load(state_path, sethook)
  G._state = value
  if problem then report("kind", "state", "status", "fresh", "reason", problem) end
end
local function save_state()
  if state and not saved then
    saved = true
    -- A user metamethod (__pairs, __index) may raise while saving: report it, do not fail the run.
    local ok, written, skipped, problem = pcall(state.save, state_path, G._state)
    if not ok then written, skipped, problem = false, {}, tostring(written) end
    local items = {}
    for i, s in ipairs(skipped) do items[i] = "{" .. '"name":' .. json_string(s[1]) .. ',"reason":' .. json_string(s[2]) .. "}" end
    report("kind", "state", "status", written and "saved" or "unsaved", "skipped", { json = "[" .. concat(items, ",") .. "]" }, "reason", problem)
  end
end

local function flush()
  pcall(file_flush, stdout)
end
local function report_error(msg, tb)
  flush()
  pcall(file_write, stderr, "lua: ", tb or msg, "\n")
  report("kind", "error", "name", "LuaError", "message", msg, "traceback", tb)
end

os.exit = function(code, close)
  save_state()
  flush()
  return os_exit(code, close)
end

local function msghandler(e)
  if type(e) ~= "string" then
    local mt = getmetatable(e)
    if type(mt) == "table" and mt.__tostring ~= nil then
      local ok, s = pcall(tostring, e)
      if ok and type(s) == "string" then e = s end
    end
    if type(e) ~= "string" then e = "(error object is a " .. type(e) .. " value)" end
  end
  -- The frames below the user's chunk are the bootstrap's own: not the user's concern.
  return { msg = e, tb = (gsub(traceback(e, 2), "\n\t%[C%]: in function 'xpcall'\n\tbootstrap:%d+: in .*$", "")) }
end

-- Runs one program file and returns its exit code. The chunk returns it for the user's
-- file, and, second, a function that runs a further file in this same state: a warm
-- session (keepAlive) calls it for each later execution, so globals, closures and loaded
-- modules live on like in a notebook kernel.
local function run_file(path, args)
  saved = false
  local chunk, err = loadfile_text(path)
  if not chunk then
    report_error(err)
    return 1
  end
  G.arg = { [0] = path, unpack(args, 1, args.n) }
  local ok, e = xpcall(chunk, msghandler, unpack(args, 1, args.n))
  if not ok then
    -- A failing message handler (e.g. out of memory while tracing) leaves a plain value.
    if type(e) == "table" then report_error(e.msg, e.tb) else report_error(tostring(e)) end
    return 1
  end
  save_state()
  flush()
  return 0
end

local pack = table.pack
return run_file(user_path, script_args), function(path, ...) return run_file(path, pack(...)) end
