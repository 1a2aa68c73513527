require "base64"
["", "f", "fo", "foo", "foobar", "héllo wörld", (0..255).to_a.pack("C*")].each do |s|
  e = Base64.strict_encode64(s)
  raise "mismatch" unless Base64.strict_decode64(e) == s.b
  puts "#{s.bytesize} #{e[0, 40]}"
end
big = Array.new(30_000) { |i| (i * i) % 251 }.pack("C*")
enc = Base64.strict_encode64(big)
puts "#{enc.size} #{enc[-16..]} #{Base64.strict_decode64(enc) == big}"
puts Base64.urlsafe_encode64("\xfb\xff\xfe".b)
