[0, 1, -1, 3.14159, 1234567.891, -0.000123, 1e21, 2**53, 0.1 + 0.2].each do |v|
  puts "#{v.inspect} #{format("%.2f", v)} #{format("%.3e", v)} #{format("%12.4g", v)}"
end
puts "#{format("%.1f%%", 45.67)} #{255.to_s(16)} #{format("%08b", 255)} #{format("%+d", -42)} #{"42".center(9)}|"
puts "#{2.675.round(2)} #{0.5.round} #{1.5.round} #{-2.5.round} #{2.5.round(half: :even)} #{1234567.89.floor(-3)} #{10.fdiv(4)} #{7 / 2} #{-7 / 2}"
