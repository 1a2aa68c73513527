class InsufficientFunds extends Error {
  constructor(msg) { super(msg); this.name = "InsufficientFunds"; }
}
class Account {
  constructor(owner, balance = 0) { this.owner = owner; this.balance = balance; this.history = []; }
  deposit(amount) {
    if (amount <= 0) throw new RangeError("deposit must be positive");
    this.balance += amount;
    this.history.push(["deposit", amount]);
  }
  withdraw(amount) {
    if (amount > this.balance) throw new InsufficientFunds(`${this.owner}: balance ${this.balance} < ${amount}`);
    this.balance -= amount;
    this.history.push(["withdraw", amount]);
  }
}
const accounts = Object.fromEntries(["ann", "bob", "cy"].map((n) => [n, new Account(n, 100)]));
const ops = [["ann", "w", 30], ["bob", "w", 150], ["cy", "d", -5], ["cy", "d", 50], ["ann", "w", 80], ["bob", "d", 25]];
for (const [name, op, amt] of ops) {
  try {
    op === "w" ? accounts[name].withdraw(amt) : accounts[name].deposit(amt);
  } catch (e) {
    if (e instanceof InsufficientFunds) console.log("denied:", e.message);
    else if (e instanceof RangeError) console.log("invalid:", e.message);
    else throw e;
  }
}
for (const [n, a] of Object.entries(accounts)) console.log(n, a.balance, a.history.length);
