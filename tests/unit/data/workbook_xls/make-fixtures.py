#!/usr/bin/python3
"""Makes the .xls fixtures of tests/unit/test_workbook_xls.c, the way units make them.

Run from the top of the checkout with Debian's python3 (it has openpyxl and LibreOffice's
UNO bridge; a pyenv python3 on PATH usually has neither):

    /usr/bin/python3 tests/unit/data/workbook_xls/make-fixtures.py

Workbooks are written as .xlsx with openpyxl, then opened in a headless LibreOffice (its own
profile and pipe, so it does not meet another soffice running on the machine), recalculated
so that formulas keep a computed value, and saved as Excel 97 .xls (BIFF8), also with a
password (an .xls with a FILEPASS record). The encrypted .xlsx, the Word document, the
Excel 95 file, the containers without a workbook and the damaged files are built here byte
by byte: LibreOffice 7.4 cannot write the first or the Excel 95 one, Writer is not
installed for the Word one, and the others are not files any program makes on purpose.
"""
import datetime
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))


def make_xlsx(tmp):
    """The .xlsx sources: the return a unit fills in, a small one in the 1904 system, and one
    of number formats."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进度表"
    ws["A1"] = "2023年上半年重点任务进展表"
    for col, name in enumerate(["任务编号", "承办单位", "完成进度", "完成时间", "备注", "状态"], 1):
        ws.cell(row=2, column=col, value=name)
    ws["A3"] = 38
    ws["B3"] = "县财政局"
    ws["C3"] = 0.55
    ws["C3"].number_format = "0%"
    ws["D3"] = datetime.date(2023, 6, 28)
    ws["D3"].number_format = "yyyy-mm-dd"
    ws["F3"] = "完成"
    # row 4 left empty: a row with nothing in it is not handed on
    ws["A5"] = 12.5
    ws["B5"] = datetime.datetime(2023, 6, 28, 14, 30)
    ws["B5"].number_format = "yyyy-mm-dd hh:mm"
    ws["C5"] = datetime.time(8, 15, 30)
    ws["C5"].number_format = "hh:mm:ss"
    ws["D5"] = True
    ws["E5"] = "=1/0"
    ws["F5"] = "=A3+1"
    ws["G5"] = '=B3&"（牵头）"'
    ws["H5"] = False
    ws["C7"] = 0.1
    ws["D7"] = -3
    ws["E7"] = 1234567.891
    notes = wb.create_sheet("说明")
    notes["A1"] = "本表由县督查室汇总"
    hidden = wb.create_sheet("隐藏")
    hidden["A1"] = "x"
    hidden.sheet_state = "hidden"
    wb.save(os.path.join(tmp, "basic.xlsx"))

    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = datetime.date(2023, 6, 28)
    ws["A1"].number_format = "yyyy-mm-dd"
    ws["B1"] = 38
    wb.save(os.path.join(tmp, "date1904.xlsx"))

    # Number formats: what freexl does not tell. LibreOffice keeps 0.55 as an RK number
    # (55, divided by 100), a row of such numbers as one MULRK record, 1234567.891 as a
    # NUMBER record, and writes a FORMAT record for each custom code.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "格式"
    cells = [
        ("A1", 0.55, "0%"),
        ("B1", 0.125, "0.0%"),
        ("C1", datetime.date(2023, 6, 28), 'yyyy"年"m"月"d"日"'),
        ("D1", 0.55, "General"),
        ("E1", 0.125, "0.00%"),
        ("A2", "=A1", "0%"),
        ("B2", 1234567.891, "#,##0.00"),
        ("C2", datetime.datetime(2023, 6, 28, 9, 5), "yyyy/m/d h:mm"),
        ("D2", -3, "General"),
        ("E2", 45105, "General"),
        ("A3", 0.55, "0%"),
        ("B3", 0.45, "0%"),
        ("C3", 0.58, "0%"),
        ("D3", 1, "0%"),
    ]
    for ref, value, fmt in cells:
        ws[ref] = value
        ws[ref].number_format = fmt
    wb.save(os.path.join(tmp, "formats.xlsx"))


def with_office(tmp, jobs):
    """Runs a private headless LibreOffice and, for each (source, target, filter, password),
    loads the source, recalculates it and stores it."""
    import uno
    from com.sun.star.beans import PropertyValue

    def props(**kw):
        out = []
        for k, v in kw.items():
            p = PropertyValue()
            p.Name, p.Value = k, v
            out.append(p)
        return tuple(out)

    pipe = "ducha_fixtures_%d" % os.getpid()
    profile = "file://" + os.path.join(tmp, "profile")
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
                               "-env:UserInstallation=" + profile,
                               "--accept=pipe,name=%s;urp;" % pipe],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(120):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                time.sleep(0.5)
        if ctx is None:
            sys.exit("make-fixtures: LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        for source, target, filt, password in jobs:
            doc = desktop.loadComponentFromURL("file://" + os.path.join(tmp, source), "_blank", 0,
                                               props(Hidden=True))
            doc.calculateAll()
            kw = {"FilterName": filt, "Overwrite": True}
            if password:
                kw["Password"] = password
            doc.storeToURL("file://" + os.path.join(HERE, target), props(**kw))
            doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge goes down with the office
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


def ole(entries, path):
    """Writes a version 3 compound file (512-byte sectors) holding ENTRIES, a list of
    (name, bytes) streams in the root storage. Streams under 4096 bytes go to the mini
    stream, as every writer does."""
    END, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    mini = bytearray()
    minifat = []
    big = []  # (entry index, bytes)
    starts = {}
    for i, (name, data) in enumerate(entries):
        if len(data) < 4096:
            first = len(mini) // 64
            n = max(1, (len(data) + 63) // 64) if data else 0
            starts[i] = first if n else END
            for k in range(n):
                minifat.append(first + k + 1 if k + 1 < n else END)
            mini += data + b"\0" * (n * 64 - len(data))
        else:
            big.append((i, data))

    def sectors(nbytes):
        return (nbytes + 511) // 512

    ndir = sectors(128 * (len(entries) + 1))
    nminifat = sectors(4 * len(minifat))
    nmini = sectors(len(mini))
    nbig = sum(sectors(len(d)) for _, d in big)
    ndata = ndir + nminifat + nmini + nbig
    nfat = 1
    while nfat * 128 < ndata + nfat:
        nfat += 1
    fat = [FATSECT] * nfat
    body = bytearray()

    def place(data, count):
        first = len(fat)
        for k in range(count):
            fat.append(first + k + 1 if k + 1 < count else END)
        body.extend(data + b"\0" * (count * 512 - len(data)))
        return first if count else END

    def dirent(name, kind, child, right, start, size):
        u = name.encode("utf-16-le")
        return (u + b"\0" * (64 - len(u)) + struct.pack("<HBB", len(u) + 2, kind, 1)
                + struct.pack("<III", FREE, right, child) + b"\0" * 36
                + struct.pack("<IQ", start, size))

    dir_first = len(fat)  # placed first, its bytes filled in below
    place(b"", ndir)
    minifat_first = place(b"".join(struct.pack("<I", x) for x in minifat), nminifat)
    mini_first = place(bytes(mini), nmini)
    for i, data in big:
        starts[i] = place(data, sectors(len(data)))
    d = dirent("Root Entry", 5, 1 if entries else FREE, FREE, mini_first, len(mini))
    for i, (name, data) in enumerate(entries):
        right = i + 2 if i + 1 < len(entries) else FREE
        d += dirent(name, 2, FREE, right, starts[i], len(data))
    body[0:len(d)] = d
    fat += [FREE] * (nfat * 128 - len(fat))
    difat = list(range(nfat)) + [FREE] * (109 - nfat)
    header = (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, nfat, dir_first, 0, 4096,
                            minifat_first if minifat else END, nminifat, END, 0)
              + b"".join(struct.pack("<I", x) for x in difat))
    assert len(header) == 512
    with open(path, "wb") as f:
        f.write(header)
        f.write(b"".join(struct.pack("<I", x) for x in fat))
        f.write(body)


def formats_of(data):
    """The FORMAT records (0x041E: ifmt, cch, flags, characters) found in the bytes DATA of
    an .xls, as {code: ifmt}."""
    out = {}
    at = data.find(b"\x1E\x04")
    while at >= 0:
        size, ifmt, cch, flags = struct.unpack_from("<HHHB", data, at + 2)
        if size == 5 + cch * (2 if flags & 1 else 1):
            raw = bytes(data[at + 9:at + 4 + size])
            out[raw.decode("utf-16-le" if flags & 1 else "latin-1")] = ifmt
        at = data.find(b"\x1E\x04", at + 1)
    return out


def handmade():
    # A Word document's container: what matters is the WordDocument stream and no workbook.
    ole([("WordDocument", b"\xEC\xA5" + b"\0" * 4094), ("1Table", b"\0" * 512),
         ("\x05SummaryInformation", b"\0" * 200)], os.path.join(HERE, "word.doc"))
    # A container with neither Workbook nor Book. The entry name is made up: what the reader
    # is tested on is the missing workbook, and what the file's name then says.
    for name in ("wps-own.et", "no-workbook.xls"):
        ole([("WpsSheetContent", b"\x01" * 5000)], os.path.join(HERE, name))
    # An Excel 95 file: its workbook is the "Book" stream, BIFF5. LibreOffice reads these but
    # no longer writes them, so only the container and the first record are made here.
    bof5 = struct.pack("<HHHH", 0x0809, 8, 0x0500, 0x0005) + b"\0" * 4
    ole([("Book", bof5 + struct.pack("<HH", 0x000A, 0) + b"\0" * 5000)],
        os.path.join(HERE, "excel95.xls"))
    # A small Workbook stream (so in the mini stream) starting with a BIFF5 BOF record.
    ole([("Workbook", bof5 + struct.pack("<HH", 0x000A, 0))],
        os.path.join(HERE, "biff5-in-workbook.xls"))
    # A password-protected .xlsx: an OLE container holding EncryptionInfo (here the 4.4
    # "agile" version header and zeros) and EncryptedPackage. Built by hand: LibreOffice 7.4's
    # OOXML export ignores Password in storeToURL and fails with EncryptionData, and
    # msoffcrypto-tool is not packaged.
    ole([("EncryptionInfo", b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"\0" * 200),
         ("EncryptedPackage", b"\0" * 8192)], os.path.join(HERE, "encrypted.xlsx"))
    # formats.xls with its percent and date XF records pointing at Excel's built-in formats
    # (9 "0%", 10 "0.00%", 14 a date), as Excel itself writes them, with no FORMAT record of
    # their own: LibreOffice writes a FORMAT record for every format a cell uses. The XF
    # records (type 0x00E0, 20 bytes: ifnt, then ifmt) are found in the file's bytes; the
    # Workbook stream is one run of sectors there.
    with open(os.path.join(HERE, "formats.xls"), "rb") as f:
        data = bytearray(f.read())
    formats = formats_of(data)
    builtin = {formats["0%"]: 9, formats["0.00%"]: 10, formats['yyyy\\年m\\月d\\日']: 14}
    patched = 0
    for at in range(len(data) - 24):
        if data[at:at + 4] == b"\xE0\x00\x14\x00":
            ifmt = struct.unpack_from("<H", data, at + 6)[0]
            if ifmt in builtin:
                struct.pack_into("<H", data, at + 6, builtin[ifmt])
                patched += 1
    assert patched >= 3, patched
    with open(os.path.join(HERE, "formats-builtin.xls"), "wb") as f:
        f.write(data)
    # The signature followed by noise.
    rng = random.Random(20230628)
    with open(os.path.join(HERE, "garbage.xls"), "wb") as f:
        f.write(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + bytes(rng.randrange(256) for _ in range(4088)))
    # A header that claims a FAT sector far past the end of the file.
    with open(os.path.join(HERE, "basic.xls"), "rb") as f:
        real = bytearray(f.read())
    struct.pack_into("<I", real, 76, 0x00FFFFF0)
    with open(os.path.join(HERE, "fat-past-end.xls"), "wb") as f:
        f.write(real)


def main():
    if not os.path.exists(os.path.join(os.getcwd(), "pipeline", "workbook.h")):
        sys.exit("make-fixtures: run from the top of the checkout")
    tmp = tempfile.mkdtemp(prefix="ducha-fixtures-")
    try:
        make_xlsx(tmp)
        with_office(tmp, [
            ("basic.xlsx", "basic.xls", "MS Excel 97", None),
            ("basic.xlsx", "password.xls", "MS Excel 97", "123"),
            ("date1904.xlsx", "date1904.xls", "MS Excel 97", None),
            ("formats.xlsx", "formats.xls", "MS Excel 97", None),
        ])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    shutil.copyfile(os.path.join(HERE, "basic.xls"), os.path.join(HERE, "basic.et"))
    with open(os.path.join(HERE, "basic.xls"), "rb") as f:
        head = f.read(3072)
    with open(os.path.join(HERE, "truncated.xls"), "wb") as f:
        f.write(head)
    handmade()


if __name__ == "__main__":
    main()
