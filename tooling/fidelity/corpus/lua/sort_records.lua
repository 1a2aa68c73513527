local seed = 99
local function rnd(n) seed = seed * 48271 % 2147483647; return seed % n end
local depts = {"eng", "ops", "sales", "hr", "legal"}
local people = {}
for i = 0, 49999 do people[#people + 1] = {id = i, dept = depts[rnd(5) + 1], age = 20 + rnd(45), salary = 30000 + rnd(120000)} end
table.sort(people, function(a, b)
  if a.dept ~= b.dept then return a.dept < b.dept end
  if a.salary ~= b.salary then return a.salary > b.salary end
  return a.id < b.id
end)
for i = 1, 3 do io.write(people[i].dept, " ", people[i].salary, " ", people[i].id, "; ") end
print()
table.sort(people, function(a, b) if a.age ~= b.age then return a.age < b.age end return a.id < b.id end)
print(people[1].age, people[#people].age, people[25001].age)
