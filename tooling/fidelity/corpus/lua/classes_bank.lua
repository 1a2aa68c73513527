local Account = {}
Account.__index = Account
function Account.new(owner, balance) return setmetatable({owner = owner, balance = balance or 0, history = {}}, Account) end
function Account:deposit(amount)
  if amount <= 0 then error({kind = "invalid", msg = "deposit must be positive"}) end
  self.balance = self.balance + amount
  self.history[#self.history + 1] = {"deposit", amount}
end
function Account:withdraw(amount)
  if amount > self.balance then error({kind = "denied", msg = string.format("%s: balance %d < %d", self.owner, self.balance, amount)}) end
  self.balance = self.balance - amount
  self.history[#self.history + 1] = {"withdraw", amount}
end
local names = {"ann", "bob", "cy"}
local accounts = {}
for _, n in ipairs(names) do accounts[n] = Account.new(n, 100) end
for _, op in ipairs({{"ann", "w", 30}, {"bob", "w", 150}, {"cy", "d", -5}, {"cy", "d", 50}, {"ann", "w", 80}, {"bob", "d", 25}}) do
  local a = accounts[op[1]]
  local ok, err = pcall(op[2] == "w" and a.withdraw or a.deposit, a, op[3])
  if not ok then print(err.kind .. ":", err.msg) end
end
for _, n in ipairs(names) do print(n, accounts[n].balance, #accounts[n].history) end
local ok, err = pcall(function() local x = nil; return x.y end)
print(ok, (err:gsub("^.-:%d+: ", "")))
