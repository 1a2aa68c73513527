require "json"
File.write("config.json", JSON.pretty_generate({ "service" => "api", "replicas" => 2, "env" => { "DEBUG" => "0" }, "ports" => [80, 443] }))
5.times do |step|
  c = JSON.parse(File.read("config.json"))
  c["replicas"] += step
  c["env"]["STEP_#{step}"] = (step * step).to_s
  c["ports"] << 8000 + step
  File.write("config.json", JSON.pretty_generate(c))
end
final = JSON.parse(File.read("config.json"))
puts "#{final["replicas"]} #{final["env"].size} #{final["ports"].inspect}"
puts JSON.generate(final["env"].sort.to_h)
