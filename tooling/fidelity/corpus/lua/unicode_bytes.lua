local text = "Grüße aus Köln — 10 € für 🍕🍕"
print(utf8.len(text), #text)
print((text:sub(1, 12):gsub(".", function(c) return string.format("%02x", c:byte()) end)))
print(text:sub(utf8.offset(text, -3)))
local counts = {ascii = 0, bmp = 0, astral = 0}
for _, cp in utf8.codes(text) do
  local k = cp < 128 and "ascii" or cp < 0x10000 and "bmp" or "astral"
  counts[k] = counts[k] + 1
end
print(counts.ascii, counts.astral, counts.bmp)
local f = io.open("u.txt", "wb"); f:write(text); f:close()
f = io.open("u.txt", "rb"); local back = f:read("a"); f:close()
print(back == text, #back)
