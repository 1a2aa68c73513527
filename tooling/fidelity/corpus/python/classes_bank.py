class InsufficientFunds(Exception):
    pass
class Account:
    def __init__(self, owner, balance=0):
        self.owner, self.balance, self.history = owner, balance, []
    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        self.history.append(("deposit", amount))
    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds(f"{self.owner}: balance {self.balance} < {amount}")
        self.balance -= amount
        self.history.append(("withdraw", amount))
accounts = {n: Account(n, 100) for n in ["ann", "bob", "cy"]}
ops = [("ann", "w", 30), ("bob", "w", 150), ("cy", "d", -5), ("cy", "d", 50), ("ann", "w", 80), ("bob", "d", 25)]
for name, op, amt in ops:
    try:
        (accounts[name].withdraw if op == "w" else accounts[name].deposit)(amt)
    except InsufficientFunds as e:
        print("denied:", e)
    except ValueError as e:
        print("invalid:", e)
for n, a in accounts.items():
    print(n, a.balance, len(a.history))
