$seed = 99
def rnd(n) = ($seed = $seed * 48271 % 2147483647) % n
depts = %w[eng ops sales hr legal]
Person = Struct.new(:id, :dept, :age, :salary)
people = (0...50_000).map { |i| Person.new(i, depts[rnd(5)], 20 + rnd(45), 30000 + rnd(120_000)) }
people.sort_by! { |p| [p.dept, -p.salary, p.id] }
puts people.first(3).map { |p| [p.dept, p.salary, p.id] }.inspect
by_age = people.sort_by(&:age)
puts "#{by_age[0].age} #{by_age[-1].age} #{by_age[25000].age}"
