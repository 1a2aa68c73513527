class ValidationError(Exception):
    def __init__(self, field, msg):
        super().__init__(f"{field}: {msg}")
        self.field = field
def parse(rec):
    if "age" not in rec:
        raise ValidationError("age", "missing")
    try:
        age = int(rec["age"])
    except ValueError as e:
        raise ValidationError("age", "not a number") from e
    if age < 0:
        raise ValidationError("age", "negative")
    return age
log = []
for rec in [{"age": "31"}, {}, {"age": "x"}, {"age": "-4"}, {"age": "7"}]:
    try:
        log.append(("ok", parse(rec)))
    except ValidationError as e:
        log.append(("err", str(e), type(e.__cause__).__name__ if e.__cause__ else None))
    finally:
        log.append("done")
print(log)
try:
    [1, 2][5]
except IndexError as e:
    print("IndexError", e)
try:
    {}["k"]
except KeyError as e:
    print("KeyError", e)
