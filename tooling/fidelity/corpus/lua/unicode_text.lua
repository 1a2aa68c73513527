for _, w in ipairs({"naïve", "café", "Zürich", "日本語", "emoji😀ok", "straße", "ÅSTRÖM"}) do
  local cps = {}
  for _, c in utf8.codes(w) do table.insert(cps, 1, utf8.char(c)) end
  print(w, utf8.len(w), #w, w:upper(), w:lower(), table.concat(cps))
end
print(utf8.char(72, 228, 8364, 128512), utf8.codepoint("€😀", 1, -1))
local t = {"b", "a", "é", "z", "É", "e"}
table.sort(t)
print(table.concat(t, " "), utf8.len("\xff"), utf8.offset("日本語", 2))
