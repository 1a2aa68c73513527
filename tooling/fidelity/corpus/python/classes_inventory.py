class Item:
    def __init__(self, name, price, qty):
        self.name, self.price, self.qty = name, price, qty
    def value(self):
        return self.price * self.qty
    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, {self.price}, {self.qty})"
class Perishable(Item):
    def __init__(self, name, price, qty, days):
        super().__init__(name, price, qty)
        self.days = days
    def value(self):
        return super().value() * (0.5 if self.days < 3 else 1.0)
class Inventory:
    def __init__(self):
        self.items = []
    def add(self, item):
        self.items.append(item)
        return self
    def total(self):
        return sum(i.value() for i in self.items)
    def __len__(self):
        return len(self.items)
inv = Inventory().add(Item("bolt", 0.25, 400)).add(Perishable("milk", 1.5, 20, 2)).add(Perishable("cheese", 7.0, 5, 10)).add(Item("nut", 0.1, 1000))
print(len(inv), f"{inv.total():.2f}")
for i in sorted(inv.items, key=lambda i: -i.value()):
    print(i, f"{i.value():.2f}")
