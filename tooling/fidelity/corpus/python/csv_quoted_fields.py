import csv, io
text = 'name,quote,city\n"Smith, John","He said ""hi""",Paris\nAda,"multi\nline",London\n"Zoë","ça va",Zürich\n'
for row in csv.reader(io.StringIO(text)):
    print(len(row), "|".join(row).replace("\n", "\\n"))
out = io.StringIO()
csv.writer(out).writerow(["a,b", 'c"d', "e"])
print(out.getvalue().strip())
