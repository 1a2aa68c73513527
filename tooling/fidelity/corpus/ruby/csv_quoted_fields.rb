require "csv"
text = "name,quote,city\n\"Smith, John\",\"He said \"\"hi\"\"\",Paris\nAda,\"multi\nline\",London\n\"Zoë\",\"ça va\",Zürich\n"
CSV.parse(text).each { |row| puts "#{row.size} #{row.join("|").gsub("\n", "\\n")}" }
puts CSV.generate_line(["a,b", 'c"d', "e"])
