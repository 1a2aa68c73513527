class Item {
  constructor(name, price, qty) { Object.assign(this, { name, price, qty }); }
  value() { return this.price * this.qty; }
  toString() { return `${this.constructor.name}('${this.name}', ${this.price}, ${this.qty})`; }
}
class Perishable extends Item {
  constructor(name, price, qty, days) { super(name, price, qty); this.days = days; }
  value() { return super.value() * (this.days < 3 ? 0.5 : 1.0); }
}
class Inventory {
  #items = [];
  add(item) { this.#items.push(item); return this; }
  total() { return this.#items.reduce((s, i) => s + i.value(), 0); }
  get size() { return this.#items.length; }
  *[Symbol.iterator]() { yield* this.#items; }
}
const inv = new Inventory().add(new Item("bolt", 0.25, 400)).add(new Perishable("milk", 1.5, 20, 2)).add(new Perishable("cheese", 7.0, 5, 10)).add(new Item("nut", 0.1, 1000));
console.log(inv.size, inv.total().toFixed(2));
for (const i of [...inv].sort((a, b) => b.value() - a.value())) console.log(String(i), i.value().toFixed(2));
