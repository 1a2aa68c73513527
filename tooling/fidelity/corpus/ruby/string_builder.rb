s = +""
100_000.times { |i| s << (i.zero? ? "" : ",") << format("%05d:%s", i, i % 3 == 0 ? "y" : "x") }
puts "#{s.size} #{s[0, 30]} #{s[-20..]}"
puts "#{s.count("y")} #{s.index("50000")} #{s.upcase[0, 12]}"
puts s.gsub(",", ";\n").lines.size
