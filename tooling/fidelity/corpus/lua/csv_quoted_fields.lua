local function parse_csv(text)
  local rows, row, field, i, quoted = {}, {}, {}, 1, false
  while i <= #text do
    local c = text:sub(i, i)
    if quoted then
      if c == '"' and text:sub(i + 1, i + 1) == '"' then field[#field + 1] = '"'; i = i + 1
      elseif c == '"' then quoted = false
      else field[#field + 1] = c end
    elseif c == '"' then quoted = true
    elseif c == "," then row[#row + 1] = table.concat(field); field = {}
    elseif c == "\n" then row[#row + 1] = table.concat(field); rows[#rows + 1] = row; row, field = {}, {}
    else field[#field + 1] = c end
    i = i + 1
  end
  if #field > 0 or #row > 0 then row[#row + 1] = table.concat(field); rows[#rows + 1] = row end
  return rows
end
local text = 'name,quote,city\n"Smith, John","He said ""hi""",Paris\nAda,"multi\nline",London\n"Zoë","ça va",Zürich\n'
for _, row in ipairs(parse_csv(text)) do print(#row, (table.concat(row, "|"):gsub("\n", "\\n"))) end
local out = {}
for _, v in ipairs({"a,b", 'c"d', "e"}) do
  if v:find('[",\n]') then v = '"' .. v:gsub('"', '""') .. '"' end
  out[#out + 1] = v
end
print(table.concat(out, ","))
