%w[naïve café Zürich 日本語 emoji😀ok straße ÅSTRÖM].each do |w|
  puts "#{w} #{w.length} #{w.bytesize} #{w.upcase} #{w.downcase} #{w.reverse}"
end
s = "e\u0301"
puts "#{s.length} #{s.unicode_normalize(:nfc).length} #{"é".unicode_normalize(:nfd).length}"
puts %w[b a é z É e].sort.inspect
puts "#{"HAL".chars.map { |c| (c.ord + 1).chr }.join} #{"€😀".chars.map { |c| "0x%x" % c.ord }.inspect}"
