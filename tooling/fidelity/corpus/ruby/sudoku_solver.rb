$grid = "530070000 600195000 098000060 800060003 400803001 700020006 060000280 000419005 000080079".split.map { |r| r.chars.map(&:to_i) }
def ok?(r, c, v)
  return false if $grid[r].include?(v) || (0...9).any? { |i| $grid[i][c] == v }
  br, bc = r / 3 * 3, c / 3 * 3
  (0...3).none? { |i| (0...3).any? { |j| $grid[br + i][bc + j] == v } }
end
def solve
  9.times do |r|
    9.times do |c|
      next unless $grid[r][c].zero?
      (1..9).each do |v|
        next unless ok?(r, c, v)
        $grid[r][c] = v
        return true if solve
        $grid[r][c] = 0
      end
      return false
    end
  end
  true
end
puts solve
$grid.each { |row| puts row.join }
