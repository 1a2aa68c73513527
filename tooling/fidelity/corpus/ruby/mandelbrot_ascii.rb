chars = " .:-=+*#%@"
rows = (0...24).map do |y|
  (0...64).map do |x|
    c = Complex(-2.2 + x * 3.0 / 64, -1.2 + y * 2.4 / 24)
    z = Complex(0, 0)
    n = 0
    while z.abs <= 2 && n < 60
      z = z * z + c
      n += 1
    end
    chars[n * (chars.size - 1) / 60]
  end.join
end
puts rows
