# Prints a workbook's first sheet as its rows of cell text ("A5 text | B5 text"), with only
# the standard library: the receipts are read as a unit would read them, cell by cell.
import re, sys, zipfile
import xml.etree.ElementTree as ET
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[1])
strings = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
        strings.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
for row in sheet.iter("{%s}row" % NS["m"]):
    cells = []
    for c in row.findall("m:c", NS):
        v = c.find("m:v", NS)
        if v is None:
            continue
        text = strings[int(v.text)] if c.get("t") == "s" else v.text
        cells.append(c.get("r") + " " + text.replace("\n", " / "))
    if cells:
        print(" | ".join(cells))
