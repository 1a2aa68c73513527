VALS = { 1000 => "M", 900 => "CM", 500 => "D", 400 => "CD", 100 => "C", 90 => "XC", 50 => "L", 40 => "XL", 10 => "X", 9 => "IX", 5 => "V", 4 => "IV", 1 => "I" }
def to_roman(n) = VALS.reduce(+"") { |out, (v, s)| q, n = n.divmod(v); out << s * q }
M = { "I" => 1, "V" => 5, "X" => 10, "L" => 50, "C" => 100, "D" => 500, "M" => 1000 }
def from_roman(s) = s.chars.each_with_index.sum { |ch, i| v = M[ch]; i + 1 < s.size && M[s[i + 1]] > v ? -v : v }
puts "#{(1...4000).all? { |n| from_roman(to_roman(n)) == n }} #{to_roman(1994)} #{to_roman(3888)} #{from_roman("MMXXIV")}"
puts (1...4000).max_by { |n| [to_roman(n).size, n] }
