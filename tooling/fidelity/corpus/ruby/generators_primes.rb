primes = Enumerator.new do |y|
  found = []
  (2..).each do |n|
    next unless found.take_while { |p| p * p <= n }.none? { |p| (n % p).zero? }
    found << n
    y << n
  end
end
ps = primes.take(2000)
puts "#{ps.first(10).inspect} #{ps[-1]} #{ps.sum}"
require "prime"
puts Prime.first(2000) == ps
