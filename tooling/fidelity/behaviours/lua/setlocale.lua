-- os.setlocale answers nil for a locale the sandbox does not have, as native Lua does.
for _, name in ipairs({"C", "POSIX", "en_US.UTF-8", "de_DE", "xx_YY", "klingon"}) do
  print(string.format("%q", name), os.setlocale(name), os.setlocale(name, "numeric"))
end
print(os.setlocale(), os.setlocale(nil, "all"), os.setlocale("C", "collate"))
print(pcall(os.setlocale, "C", "bogus"))
