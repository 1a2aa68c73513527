local function write(path, s) local f = assert(io.open(path, "w")); f:write(s); f:close() end
local function read(path) local f = assert(io.open(path)); local s = f:read("a"); f:close(); return s end
local function serialize(c)
  local env = {}
  for k, v in pairs(c.env) do env[#env + 1] = string.format('"%s": "%s"', k, v) end
  table.sort(env)
  local ports = {}
  for _, p in ipairs(c.ports) do ports[#ports + 1] = tostring(p) end
  return string.format('{"service": "%s", "replicas": %d, "env": {%s}, "ports": [%s]}', c.service, c.replicas, table.concat(env, ", "), table.concat(ports, ", "))
end
local function deserialize(s)
  local c = {env = {}, ports = {}}
  c.service = s:match('"service": "([^"]*)"')
  c.replicas = tonumber(s:match('"replicas": (%d+)'))
  for k, v in s:match('"env": {(.-)}'):gmatch('"([^"]+)": "([^"]*)"') do c.env[k] = v end
  for p in s:match('"ports": %[(.-)%]'):gmatch("%d+") do c.ports[#c.ports + 1] = tonumber(p) end
  return c
end
write("config.json", serialize({service = "api", replicas = 2, env = {DEBUG = "0"}, ports = {80, 443}}))
for step = 0, 4 do
  local c = deserialize(read("config.json"))
  c.replicas = c.replicas + step
  c.env["STEP_" .. step] = tostring(step * step)
  c.ports[#c.ports + 1] = 8000 + step
  write("config.json", serialize(c))
end
print(read("config.json"))
