local Item = {}
Item.__index = Item
function Item.new(name, price, qty) return setmetatable({name = name, price = price, qty = qty}, Item) end
function Item:value() return self.price * self.qty end
function Item:__tostring() return string.format("%s(%q, %s, %s)", self.kind or "Item", self.name, self.price, self.qty) end
local Perishable = setmetatable({}, {__index = Item})
Perishable.__index = Perishable
Perishable.__tostring = Item.__tostring
function Perishable.new(name, price, qty, days)
  local o = Item.new(name, price, qty)
  o.days, o.kind = days, "Perishable"
  return setmetatable(o, Perishable)
end
function Perishable:value() return Item.value(self) * (self.days < 3 and 0.5 or 1.0) end
local Inventory = {}
Inventory.__index = Inventory
Inventory.__len = function(self) return #self.items end
function Inventory.new() return setmetatable({items = {}}, Inventory) end
function Inventory:add(i) self.items[#self.items + 1] = i; return self end
function Inventory:total() local s = 0; for _, i in ipairs(self.items) do s = s + i:value() end; return s end
local inv = Inventory.new():add(Item.new("bolt", 0.25, 400)):add(Perishable.new("milk", 1.5, 20, 2)):add(Perishable.new("cheese", 7.0, 5, 10)):add(Item.new("nut", 0.1, 1000))
print(#inv, string.format("%.2f", inv:total()))
table.sort(inv.items, function(a, b) return a:value() > b:value() end)
for _, i in ipairs(inv.items) do print(tostring(i), string.format("%.2f", i:value())) end
