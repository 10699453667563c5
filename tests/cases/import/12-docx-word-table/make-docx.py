#!/usr/bin/env python3
"""Writes document.docx: the 2023 document (input/2023/document.txt) as Word keeps it.

The tasks of 附件1 are numbered by Word's automatic numbering (numbering.xml, "%1、"), not typed:
the number a task paragraph shows is not in its text. 附件2 is a real Word table, its 序号 and
项目名称 merged down a project's rows (vMerge). Only the standard library: python3-docx is not
a Debian package everyone has. Usage: make-docx.py DOCUMENT.txt OUT.docx
"""
import re
import sys
import zipfile
from xml.sax.saxutils import escape

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def runs(text):
    out = []
    for i, part in enumerate(text.split('\t')):
        if i:
            out.append('<w:r><w:tab/></w:r>')
        if part:
            out.append('<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % escape(part))
    return ''.join(out)


def para(text, num=None):
    ppr = ''
    if num:
        ppr = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="%d"/></w:numPr></w:pPr>' % num
    return '<w:p>%s%s</w:p>' % (ppr, runs(text))


def cell(paras, merge=None, span=1):
    pr = ''
    if span > 1:
        pr += '<w:gridSpan w:val="%d"/>' % span
    if merge:
        pr += '<w:vMerge w:val="restart"/>' if merge == 'restart' else '<w:vMerge/>'
    body = ''.join(para(p) for p in paras) or '<w:p/>'
    return '<w:tc>%s%s</w:tc>' % ('<w:tcPr>%s</w:tcPr>' % pr if pr else '', body)


def main():
    lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
    body = []
    a1 = lines.index('附件1：')
    a2 = lines.index('附件2：')
    for l in lines[:a1 + 1]:
        body.append(para(l))
    # 附件1: a task is a paragraph typed "N、" or one right above 牵头领导 (task 2 has no typed
    # number in the text); its number is left to Word's numbering.
    seg = lines[a1 + 1:a2]
    for i, l in enumerate(seg):
        nxt = next((x.strip() for x in seg[i + 1:] if x.strip()), '')
        typed = re.match(r'^\d+、', l)
        untyped = nxt.startswith('牵头领导') and l.strip() and \
            not l.strip().startswith(('牵头领导', '承办单位', '协办单位'))
        if typed or untyped:
            body.append(para(re.sub(r'^\d+、', '', l), num=1))
        else:
            body.append(para(l))
    body.append(para(lines[a2]))
    body.append(para(lines[a2 + 1]))
    # 附件2: rows start at a tab line after a blank one; a row's cells at its tab lines.
    rest = lines[a2 + 2:]
    rows, i = [], 0
    while i < len(rest) and rest[i].startswith('\t'):
        row = []
        while i < len(rest):
            l = rest[i]
            if l.startswith('\t'):
                row.append([l[1:]])
            elif l == '' and i + 1 < len(rest) and rest[i + 1].startswith('\t') \
                    and (len(row) >= 6 or len(row) == 0):
                i += 1
                break
            else:
                row[-1].append(l)
            i += 1
        if row and row[0][0].startswith('抄送'):
            i -= sum(len(c) for c in row)
            break
        rows.append(row)
    tbl = ['<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>']
    prev = None
    for r in rows:
        tbl.append('<w:tr>')
        for c, paras in enumerate(r):
            merge = None
            if c < 2 and prev is not None:
                if paras == ['']:
                    merge = 'continue'
                elif any(x[c] == [''] for x in rows[rows.index(r) + 1:rows.index(r) + 2]):
                    merge = 'restart'
            tbl.append(cell(paras, merge))
        tbl.append('</w:tr>')
        prev = r
    tbl.append('</w:tbl>')
    body.append(''.join(tbl))
    for l in rest[i:]:
        body.append(para(l))
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document %s><w:body>%s'
           '<w:sectPr/></w:body></w:document>' % (W, ''.join(body)))
    numbering = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering %s>'
                 '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                 '<w:numFmt w:val="decimal"/><w:lvlText w:val="%%1、"/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>' % W)
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
             '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
             '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '</Relationships>')
    docrels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
               '</Relationships>')
    with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in (('[Content_Types].xml', types), ('_rels/.rels', rels),
                           ('word/document.xml', doc), ('word/numbering.xml', numbering),
                           ('word/_rels/document.xml.rels', docrels)):
            info = zipfile.ZipInfo(name, date_time=(2023, 2, 22, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode('utf-8'))


main()
