def evaluate(src)
  tokens = src.scan(%r{\d+\.?\d*|[-+*/()]})
  pos = 0
  factor = term = expr = nil
  expr = lambda do
    v = term.()
    while %w[+ -].include?(tokens[pos])
      op = tokens[pos]; pos += 1
      v = op == "+" ? v + term.() : v - term.()
    end
    v
  end
  term = lambda do
    v = factor.()
    while %w[* /].include?(tokens[pos])
      op = tokens[pos]; pos += 1
      v = op == "*" ? v * factor.() : v / factor.()
    end
    v
  end
  factor = lambda do
    t = tokens[pos]; pos += 1
    next (v = expr.(); pos += 1; v) if t == "("
    next -factor.() if t == "-"
    t.to_f
  end
  expr.()
end
["1 + 2 * 3", "(1 + 2) * 3", "10 / 4 - 1.5", "-(2 + 3) * (4 - 6)", "2 * (3 + (4 - 1) * 2) / 3"].each { |e| puts "#{e} = #{evaluate(e)}" }
