for _, v in ipairs({0, 1, -1, 3.14159, 1234567.891, -0.000123, 1e21, 2^53, 0.1 + 0.2, 7 // 2, 7 / 2, -7 // 2, 2^63}) do
  print(tostring(v), math.type(v), string.format("%.2f %.3e %12.4g", v, v, v))
end
print(string.format("%.1f%% %x %5.1s| %+d %q %q", 45.67, 255, "abc", -42, "a\nb", 1/3))
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger, 1e308 * 10, -(0/0) ~= -(0/0))
print(math.floor(-3.5), math.ceil(-3.5), math.fmod(-7, 3), -7 % 3, math.tointeger(3.0), 3 | 5, 6 & 3, 1 << 62)
