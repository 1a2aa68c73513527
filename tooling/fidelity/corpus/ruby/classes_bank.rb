class InsufficientFunds < StandardError; end
class Account
  attr_reader :owner, :balance, :history
  def initialize(owner, balance = 0)
    @owner, @balance, @history = owner, balance, []
  end
  def deposit(amount)
    raise ArgumentError, "deposit must be positive" if amount <= 0
    @balance += amount
    @history << [:deposit, amount]
  end
  def withdraw(amount)
    raise InsufficientFunds, "#{owner}: balance #{balance} < #{amount}" if amount > balance
    @balance -= amount
    @history << [:withdraw, amount]
  end
end
accounts = %w[ann bob cy].to_h { |n| [n, Account.new(n, 100)] }
[["ann", "w", 30], ["bob", "w", 150], ["cy", "d", -5], ["cy", "d", 50], ["ann", "w", 80], ["bob", "d", 25]].each do |name, op, amt|
  op == "w" ? accounts[name].withdraw(amt) : accounts[name].deposit(amt)
rescue InsufficientFunds => e
  puts "denied: #{e.message}"
rescue ArgumentError => e
  puts "invalid: #{e.message}"
end
accounts.each { |n, a| puts "#{n} #{a.balance} #{a.history.size}" }
