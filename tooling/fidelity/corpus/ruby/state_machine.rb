transitions = { %w[idle start] => "running", %w[running pause] => "paused", %w[paused resume] => "running", %w[running stop] => "idle", %w[paused stop] => "idle" }
events = %w[start pause resume pause stop resume start stop stop] * 500
state = "idle"
rejected = 0
counts = Hash.new(0)
events.each do |e|
  nxt = transitions[[state, e]]
  next rejected += 1 if nxt.nil?
  counts[nxt] += 1
  state = nxt
end
puts "#{state} #{rejected} #{counts.sort.inspect}"
