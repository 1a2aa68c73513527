def fnv1a(bytes)
  h = 0x811C9DC5
  bytes.each_byte { |b| h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF }
  h
end
data = Array.new(200_000) { |i| (i * 31 + 7) % 256 }.pack("C*")
puts "0x#{fnv1a(data).to_s(16)} 0x#{fnv1a("hello").to_s(16)} 0x#{fnv1a("").to_s(16)}"
require "digest"
require "zlib"
puts "#{Digest::SHA256.hexdigest("hello world")[0, 16]} #{Digest::MD5.hexdigest(data)} #{Zlib.crc32(data).to_s(16)}"
