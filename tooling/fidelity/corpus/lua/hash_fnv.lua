local function fnv1a(s)
  local h = 0x811C9DC5
  for i = 1, #s do h = ((h ~ s:byte(i)) * 0x01000193) & 0xFFFFFFFF end
  return h
end
local bytes = {}
for i = 0, 199999 do bytes[#bytes + 1] = string.char((i * 31 + 7) % 256) end
local data = table.concat(bytes)
print(string.format("0x%x 0x%x 0x%x", fnv1a(data), fnv1a("hello"), fnv1a("")))
local crc = 0xFFFFFFFF
for i = 1, #data do
  crc = crc ~ data:byte(i)
  for _ = 1, 8 do if crc & 1 == 1 then crc = (crc >> 1) ~ 0xEDB88320 else crc = crc >> 1 end end
end
print(string.format("%x", crc ~ 0xFFFFFFFF))
