class LRU
  attr_reader :hits, :misses, :store
  def initialize(cap) = (@cap, @store, @hits, @misses = cap, {}, 0, 0)
  def get(k)
    return (@misses += 1; nil) unless @store.key?(k)
    @hits += 1
    @store[k] = @store.delete(k)
  end
  def put(k, v)
    @store.delete(k)
    @store[k] = v
    @store.shift if @store.size > @cap
  end
end
cache = LRU.new(100)
seed = 13
50_000.times do
  seed = seed * 48271 % 2147483647
  k = (seed % 4).zero? ? seed % 50 : seed % 300
  cache.put(k, k * k) if cache.get(k).nil?
end
puts "#{cache.hits} #{cache.misses} #{cache.store.keys.first(5).inspect}"
