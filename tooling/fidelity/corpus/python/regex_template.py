import re
template = "Hello {{name}}, your order #{{order}} of {{count}} items ships on {{date}}. {{missing}}"
values = {"name": "Ada", "order": "A-1029", "count": "3", "date": "2024-07-01"}
out = re.sub(r"\{\{(\w+)\}\}", lambda m: values.get(m.group(1), "<" + m.group(1) + ">"), template)
print(out)
snake = [re.sub(r"(?<!^)(?=[A-Z])", "_", w).lower() for w in ["camelCase", "HTTPServer", "getXMLValue", "simple"]]
print(snake)
print(re.split(r"\s*[,;]\s*", "a , b;c ;d,e"))
print(re.sub(r"(\d+)", lambda m: str(int(m.group(1)) * 2), "x1 y22 z333"))
