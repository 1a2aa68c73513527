text = (0...300).map { |i| "contact user#{i}@example#{i % 7}.com or admin@site#{i % 3}.org; bad@x, also First.Last+#{i % 5}@mail.co.uk" }.join(" ")
emails = text.scan(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/)
uniq = emails.uniq.sort
puts "#{emails.size} #{uniq.size}"
puts uniq.first(5).inspect
puts emails.map { |e| e.split("@")[1] }.tally.sort_by { |d, c| [-c, d] }.first(4).inspect
