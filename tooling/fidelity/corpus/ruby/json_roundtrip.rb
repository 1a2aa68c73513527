require "json"
doc = { "name" => "report", "version" => 3, "tags" => ["a", "b", "ü"], "nested" => { "x" => 1.5, "y" => nil, "z" => [true, false] }, "count" => 10**12 }
sort_keys = ->(v) { v.is_a?(Hash) ? v.sort.to_h.transform_values(&sort_keys) : v.is_a?(Array) ? v.map(&sort_keys) : v }
s = JSON.generate(sort_keys.(doc))
puts s
back = JSON.parse(s)
puts back == doc, back["nested"]["z"].inspect, back["tags"][2]
puts JSON.pretty_generate(sort_keys.(back))
