def lcs(a, b)
  prev = Array.new(b.size + 1, 0)
  a.each_char do |ca|
    cur = [0]
    b.each_char.with_index { |cb, j| cur << (ca == cb ? prev[j] + 1 : [prev[j + 1], cur[j]].max) }
    prev = cur
  end
  prev[-1]
end
$seed = 6
def s(n) = Array.new(n) { "ACGT"[($seed = $seed * 48271 % 2147483647) % 4] }.join
a, b = s(600), s(600)
puts "#{lcs(a, b)} #{lcs("AGGTAB", "GXTXAYB")} #{lcs(a[0, 100], a[50, 100])}"
