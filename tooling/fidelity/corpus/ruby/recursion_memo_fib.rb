fib = Hash.new { |h, n| h[n] = n < 2 ? n : h[n - 1] + h[n - 2] }
puts (0...75).step(7).map { |i| fib[i] }.join(" ")
$memo = {}
def ways(n, coins, k = 0)
  return 1 if n.zero?
  return 0 if n.negative? || k == coins.size
  $memo[[n, k]] ||= ways(n - coins[k], coins, k) + ways(n, coins, k + 1)
end
puts ways(500, [1, 2, 5, 10, 20, 50, 100, 200])
