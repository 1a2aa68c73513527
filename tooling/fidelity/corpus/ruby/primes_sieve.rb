n = 2_000_000
sieve = Array.new(n + 1, true)
sieve[0] = sieve[1] = false
i = 2
while i * i <= n
  (i * i).step(n, i) { |j| sieve[j] = false } if sieve[i]
  i += 1
end
primes = (0..n).select { |k| sieve[k] }
puts "#{primes.size} #{primes[-1]} #{primes.first(1000).sum}"
puts primes.each_cons(2).count { |a, b| b - a == 2 }
