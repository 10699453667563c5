#!/usr/bin/python3
"""Makes the workbook fixtures of tests/unit/test_workbook.c, in this script's folder.

Run with Debian's python3 (python3-openpyxl); LibreOffice (soffice) makes lo.xlsx when it is
installed. The files are committed, so the unit tests need neither at test time:

    /usr/bin/python3 tests/unit/data/workbook/make-fixtures.py

openpyxl.xlsx   what openpyxl writes: shared strings, numbers, 0% and date formats, a
                datetime, a time, a boolean, #N/A, a formula without cached value, a row with
                gaps, hidden and very hidden sheets with Chinese names
date1904.xlsx   openpyxl in the 1904 date system
lo.xlsx         openpyxl.xlsx opened and saved again by LibreOffice (its own styles, formulas
                computed, cached values kept)
handmade.xlsx   XML written by hand: rich-text runs, phonetic runs, inline strings, every cell
                type, cells and rows without r, a formula's cached text and cached "", _x000D_,
                an "x:" namespace prefix, a custom percent format, built-in ids 14, 22, 31, 32
broken-xml.xlsx a sheet whose XML breaks off after row 2
bad-crc.xlsx    a stored sheet with one byte changed (its CRC no longer matches)
wide.xlsx       a cell in XFD (the last column) and one beyond it (XFE) on the next sheet
doctype.xlsx    a sheet with a DOCTYPE declaring an entity
truncated.xlsx  the first half of openpyxl.xlsx
word.docx       a zip shaped like a Word document
encrypted.xlsx  an OLE compound file holding EncryptionInfo and EncryptedPackage, the way
                Excel keeps a password-protected .xlsx (the streams themselves left empty)
empty.zip       a zip with no members
"""
import datetime
import os
import shutil
import subprocess
import tempfile
import zipfile

import openpyxl
import openpyxl.utils.datetime

HERE = os.path.dirname(os.path.abspath(__file__))
# Fixed member times, so that running the script again gives the same bytes.
DATE_TIME = (2023, 6, 28, 0, 0, 0)


def out(name):
    return os.path.join(HERE, name)


def write_zip(path, members, stored=()):
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members:
            info = zipfile.ZipInfo(name, DATE_TIME)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8") if isinstance(text, str) else text)


def openpyxl_workbook(path, epoch=None):
    wb = openpyxl.Workbook()
    if epoch is not None:
        wb.epoch = epoch
    ws = wb.active
    ws.title = "落实情况"
    ws.append(["任务编号", "承办单位", "完成进度", "完成时限", "  两端空格 ", "多行\n文字"])
    ws.append([1, "县财政局", 0.55, datetime.date(2023, 6, 28), 38, 38.5])
    ws["C2"].number_format = "0%"
    ws["D2"].number_format = "yyyy-mm-dd"
    ws.append([2, "县发改局", 1, datetime.datetime(2023, 6, 28, 14, 30), True, "#N/A"])
    ws["C3"].number_format = "0.00%"
    ws["D3"].number_format = "yyyy-mm-dd hh:mm"
    ws["A4"] = "=SUM(A2:A3)"
    ws["B4"] = datetime.time(8, 30, 15)
    ws["B4"].number_format = "hh:mm:ss"
    ws["C4"] = datetime.date(2023, 7, 1)
    ws["C4"].number_format = 'yyyy"年"m"月"d"日"'
    ws["A6"] = "间隔"
    ws["D6"] = 0.1
    hidden = wb.create_sheet("说明")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "隐藏的说明"
    very = wb.create_sheet("备用")
    very.sheet_state = "veryHidden"
    last = wb.create_sheet("汇总")
    last["B2"] = 1e15
    last["C2"] = -2.5
    wb.save(path)


SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""


def package(sheets, shared=None, styles=None, prefix=""):
    """The members of a workbook whose sheets are (name, xml) pairs; the workbook part is
    written with the namespace prefix PREFIX ("x:") when given, the way the Open XML SDK
    writes it."""
    p = prefix
    ns = SHEET_NS if not p else SHEET_NS.replace('xmlns="', 'xmlns:%s="' % p[:-1])
    wb = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<%sworkbook %s><%ssheets>'
          % (p, ns, p)]
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    members = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS)]
    for i, (name, xml) in enumerate(sheets, 1):
        wb.append('<%ssheet name="%s" sheetId="%d" r:id="rId%d"/>' % (p, name, i, i))
        # absolute, relative and climbing targets all occur in the wild
        target = ("worksheets/sheet%d.xml", "/xl/worksheets/sheet%d.xml",
                  "../xl/./worksheets/sheet%d.xml")[(i - 1) % 3] % i
        rels.append('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/worksheet" Target="%s"/>' % (i, target))
        members.append(("xl/worksheets/sheet%d.xml" % i, xml))
    wb.append("</%ssheets></%sworkbook>" % (p, p))
    if styles:
        rels.append('<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/styles" Target="styles.xml"/>')
        members.append(("xl/styles.xml", styles))
    if shared:
        rels.append('<Relationship Id="rId91" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
        members.append(("xl/sharedStrings.xml", shared))
    rels.append("</Relationships>")
    members.append(("xl/workbook.xml", "".join(wb)))
    members.append(("xl/_rels/workbook.xml.rels", "".join(rels)))
    return members


def sheet(rows_xml, prefix=""):
    p = prefix
    ns = SHEET_NS if not p else SHEET_NS.replace('xmlns="', 'xmlns:%s="' % p[:-1])
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<%sworksheet %s><%ssheetData>%s</%ssheetData></%sworksheet>'
            % (p, ns, p, rows_xml, p, p))


HANDMADE_SHARED = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>任务编号</t></si>
<si><r><t>县</t></r><r><rPr><b/><sz val="11"/></rPr><t xml:space="preserve">财政局 </t></r></si>
<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>
<si><t xml:space="preserve"> 第一行_x000D_
第二行 &amp; &lt;完&gt; </t></si>
</sst>"""

HANDMADE_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="176" formatCode="0.0%"/><numFmt numFmtId="177" formatCode="[DBNum1][$-804]yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="14"/><xf numFmtId="22"/><xf numFmtId="31"/><xf numFmtId="32"/><xf numFmtId="177"/></cellXfs>
</styleSheet>"""

HANDMADE_ROWS = (
    # row 1: shared strings (plain, rich runs, phonetic, escapes and spaces)
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
    # row 2: inline strings, one rich, one with a phonetic run; a cell without r follows
    '<row r="2"><c r="A2" t="inlineStr"><is><t>内联</t></is></c>'
    '<c r="B2" t="inlineStr"><is><r><t>富</t></r><r><rPr><i/></rPr><t>文本</t></r>'
    '<rPh sb="0" eb="1"><t>ふ</t></rPh></is></c><c t="inlineStr"><is><t>无r</t></is></c></row>'
    # row 3 has no r: it follows row 2
    '<row><c r="A3"><v>38</v></c><c r="B3"><v>38.5</v></c><c r="C3" s="1"><v>0.555</v></c>'
    '<c r="D3" s="2"><v>45105</v></c><c r="E3" s="3"><v>45105.6041666667</v></c>'
    '<c r="F3" s="4"><v>45108</v></c><c r="G3" s="5"><v>0.5</v></c><c r="H3" s="6"><v>45108</v></c></row>'
    # row 5: formulas: cached number, cached text, cached "", no cached value (absent and
    # empty), a shared formula's cached value; a boolean, an error, an ISO date
    '<row r="5"><c r="A5"><f>1+1</f><v>2</v></c><c r="B5" t="str"><f>"县"&amp;"委"</f><v>县委</v></c>'
    '<c r="C5" t="str"><f>""</f><v></v></c><c r="D5"><f>SUM(A1:A3)</f></c>'
    '<c r="E5"><f>SUM(A1:A4)</f><v></v></c><c r="F5" t="b"><v>0</v></c>'
    '<c r="G5" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="H5" t="d"><v>2023-06-28T00:00:00</v></c>'
    '<c r="I5" t="d"><v>2023-06-28T09:05:00</v></c><c r="J5" t="b"><v>1</v></c></row>'
    # row 7: only styled empty cells: no row is handed on
    '<row r="7"><c r="A7" s="1"/><c r="B7" s="2"/></row>'
    # row 8: a gap, and trailing styled empties trimmed
    '<row r="8"><c r="C8" t="inlineStr"><is><t>C列</t></is></c><c r="E8" s="1"/></row>'
)


def handmade(path):
    rows = sheet(HANDMADE_ROWS, prefix="x:")
    second = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>第二表</t></is></c></row>')
    third = sheet('<row r="2"><c r="B2" t="s"><v>0</v></c></row>')
    write_zip(path, package([("数据", rows), ("第二表", second), ("第三表", third)],
                            shared=HANDMADE_SHARED,
                            styles=HANDMADE_STYLES, prefix="x:"))


def broken_xml(path):
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>一</t></is></c></row>'
            '<row r="2"><c r="A2"><v>2</v></c></row>'
            '<row r="3"><c r="A3"><v>3</v></c><c r="B3"><v>4</')
    xml = sheet(rows).split("</sheetData>")[0]
    write_zip(path, package([("坏表", xml)]))


def bad_crc(path):
    rows = "".join('<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 50))
    write_zip(path, package([("表", sheet(rows))]), stored=("xl/worksheets/sheet1.xml",))
    data = bytearray(open(path, "rb").read())
    at = data.index(b'<v>25</v>') + 4  # "25" becomes "35": same length, well-formed, bad CRC
    data[at] = ord("3")
    open(path, "wb").write(bytes(data))


def wide(path):
    ok = sheet('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>')
    bad = sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="XFE2"><v>2</v></c></row>')
    write_zip(path, package([("宽", ok), ("过宽", bad)]))


def doctype(path):
    xml = ('<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
           '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
           '<worksheet %s><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c>'
           '</row></sheetData></worksheet>' % SHEET_NS)
    write_zip(path, package([("表", xml)]))


def word(path):
    write_zip(path, [
        ("[Content_Types].xml", CONTENT_TYPES.replace("/xl/workbook.xml", "/word/document.xml")),
        ("_rels/.rels", ROOT_RELS.replace("xl/workbook.xml", "word/document.xml")),
        ("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
         'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>落实情况'
         '</w:t></w:r></w:p></w:body></w:document>'),
    ])


def encrypted(path):
    """A compound file (MS-CFB) of 512-byte sectors: header, FAT in sector 0, directory in
    sector 1 with the root, three empty streams named as in MS-OFFCRYPTO 2.3.4.1."""
    import struct
    free, end, fatsect = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16),
                         0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *([free] * 108))
    fat = struct.pack("<128I", fatsect, end, *([free] * 126))

    def entry(name, kind, left=free, right=free, child=free):
        utf16 = name.encode("utf-16-le") + b"\0\0"
        return struct.pack("<64sHBBIII16sIQQIQ", utf16, len(utf16), kind, 1, left, right, child,
                           bytes(16), 0, 0, 0, end, 0)

    directory = (entry("Root Entry", 5, child=2) + entry("EncryptionInfo", 2)
                 + entry("EncryptedPackage", 2, left=1, right=3) + entry("\x06DataSpaces", 2))
    open(path, "wb").write(header + fat + directory)


def libreoffice(src, dst):
    soffice = shutil.which("soffice")
    if not soffice:
        print("soffice not found: lo.xlsx left as it is")
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "lo-src.xlsx")
        shutil.copy(src, work)
        subprocess.run([soffice, "-env:UserInstallation=file://%s/profile" % tmp, "--headless",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                        os.path.join(tmp, "out"), work], check=True, stdout=subprocess.DEVNULL,
                       timeout=300)
        shutil.copy(os.path.join(tmp, "out", "lo-src.xlsx"), dst)


def main():
    openpyxl_workbook(out("openpyxl.xlsx"))
    openpyxl_workbook(out("date1904.xlsx"), epoch=openpyxl.utils.datetime.CALENDAR_MAC_1904)
    libreoffice(out("openpyxl.xlsx"), out("lo.xlsx"))
    handmade(out("handmade.xlsx"))
    broken_xml(out("broken-xml.xlsx"))
    bad_crc(out("bad-crc.xlsx"))
    wide(out("wide.xlsx"))
    doctype(out("doctype.xlsx"))
    data = open(out("openpyxl.xlsx"), "rb").read()
    open(out("truncated.xlsx"), "wb").write(data[: len(data) // 2])
    word(out("word.docx"))
    write_zip(out("empty.zip"), [])
    encrypted(out("encrypted.xlsx"))


if __name__ == "__main__":
    main()
