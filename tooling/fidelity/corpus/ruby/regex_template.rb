template = "Hello {{name}}, your order #{"#"}{{order}} of {{count}} items ships on {{date}}. {{missing}}"
values = { "name" => "Ada", "order" => "A-1029", "count" => "3", "date" => "2024-07-01" }
puts template.gsub(/\{\{(\w+)\}\}/) { values.fetch($1, "<#{$1}>") }
puts %w[camelCase HTTPServer getXMLValue simple].map { |w| w.gsub(/(?<!^)(?=[A-Z])/, "_").downcase }.inspect
puts "a , b;c ;d,e".split(/\s*[,;]\s*/).inspect
puts "x1 y22 z333".gsub(/\d+/) { |m| (m.to_i * 2).to_s }
m = /(?<year>\d{4})-(?<month>\d{2})/.match("on 2024-07-01")
puts "#{m[:year]} #{m[:month]} #{"a1b2c3".scan(/[a-z](\d)/).join}"
