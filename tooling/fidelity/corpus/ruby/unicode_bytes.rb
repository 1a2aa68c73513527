text = "Grüße aus Köln — 10 € für 🍕🍕"
puts "#{text.length} #{text.bytesize}"
puts text.byteslice(0, 12).unpack1("H*")
puts text[-3..]
puts text.chars.map { |c| c.ord < 128 ? "ascii" : c.ord < 0x10000 ? "bmp" : "astral" }.tally.sort.inspect
File.write("u.txt", text)
puts "#{File.read("u.txt", encoding: "UTF-8") == text} #{File.binread("u.txt").bytesize}"
