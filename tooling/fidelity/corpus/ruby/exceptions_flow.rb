class ValidationError < StandardError
  attr_reader :field
  def initialize(field, msg)
    super("#{field}: #{msg}")
    @field = field
  end
end
def parse(rec)
  raise ValidationError.new("age", "missing") unless rec.key?("age")
  age = begin
    Integer(rec["age"])
  rescue ArgumentError
    raise ValidationError.new("age", "not a number")
  end
  raise ValidationError.new("age", "negative") if age.negative?
  age
end
log = []
[{ "age" => "31" }, {}, { "age" => "x" }, { "age" => "-4" }, { "age" => "7" }].each do |rec|
  log << ["ok", parse(rec)]
rescue ValidationError => e
  log << ["err", e.message, e.cause&.class&.name]
ensure
  log << "done"
end
puts log.inspect
begin
  [1, 2].fetch(5)
rescue IndexError => e
  puts "IndexError #{e.message}"
end
begin
  {}.fetch("k")
rescue KeyError => e
  puts "KeyError #{e.message}"
end
x = Integer("12", exception: false)
puts x, (1 / 0 rescue "ZeroDivisionError")
