require "date"
holidays = [Date.new(2024, 1, 1), Date.new(2024, 7, 4), Date.new(2024, 12, 25), Date.new(2024, 11, 28)]
days = (Date.new(2024, 1, 1)..Date.new(2024, 12, 31)).select { |d| !d.saturday? && !d.sunday? && !holidays.include?(d) }
puts days.size
puts days.group_by(&:month).sort.map { |_, v| v.size }.inspect
