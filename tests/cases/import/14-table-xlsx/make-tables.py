#!/usr/bin/python3
"""Writes the task tables of the import cases 14 to 17, 20 to 22, each a document of its own.

  14-table-xlsx/tasks.xlsx   2024年云溪县政府重点工作任务分解表: 12 tasks, 类别 and leaders and
                             one host merged down (openpyxl; the covered cells are empty, as
                             Excel saves them), a date cell in the time column
  15-table-xls/tasks.xls     the same workbook saved by LibreOffice as Excel 97-2003 (made by
                             `soffice --headless --convert-to xls` from tasks.xlsx)
  16-table-csv-gbk/tasks.csv 柳溪县2025年重点工作任务清单: 8 tasks, 责任单位 only (its first unit
                             leads, or the one marked （牵头）), saved GBK with CRLF as Excel does
  17-table-docx/document.docx  a 2024 notice of 青峰县 with 附件1 as a Word table: 7 tasks,
                             the header over two rows (责任单位 spanning 主要责任单位 and
                             其他责任单位), vertical merges (vMerge) in the leader and co-unit
                             columns; the docx
                             XML written with zipfile (python3-docx is not a Debian package
                             everyone has)
  20-table-docx-bare/tasks.docx  the same table in a Word file that holds only 附件 and a title
                             above it (2024年石桥县重点工作任务清单): a bare table, like a workbook
  21-table-merged-ranges/tasks.xlsx  2025年石门县重点工作任务分解表: 7 tasks in which an office
                             merged cells as offices do, so that what the merged ranges say is
                             what the catalog must say: 配合单位 F4:F6 (县财政局, the co-unit of
                             tasks 2-4, not of 2 alone); 完成时限 G8:G10 (2025年9月底前, tasks
                             5-7); 类别 B3:B6 and B8:B10, 牵头县领导 D3:D6, 牵头单位 E9:E10
                             carried down as before; the heading 二、民生保障 merged across A7:G7
                             (one row covers nothing below); F10 empty and unmerged (task 7 has
                             no co-unit); openpyxl writes <mergeCells> after the rows
  22-table-merged-ranges-xls/tasks.xls  the same saved by LibreOffice as Excel 97-2003
                             (MERGEDCELLS records)
Usage: make-tables.py (from this directory).
"""
import datetime
import os
import subprocess
import tempfile
import zipfile
from xml.sax.saxutils import escape

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
UP = os.path.dirname(HERE)

XLSX_ROWS = [
    # 序号, 类别, 任务内容, 牵头县领导, 牵头单位, 配合单位, 完成时限
    (1, '一、经济发展', '地区生产总值增长6%左右，一般公共预算收入增长5%。', '周明',
     '县发展和改革局', '县财政局、县统计局', '2024年12月底前'),
    (2, None, '新开工亿元以上项目30个，完成固定资产投资120亿元。', None, None, '各镇街',
     '2024年6月底前'),
    (3, None, '新培育规模以上工业企业15家。', None, '县工业和信息化局', '县市场监督管理局',
     '年底前'),
    (4, None, '实际使用外资2000万美元，外贸进出口总额增长8%。', '吴芳', '县商务局', None,
     '三季度'),
    (5, None, '新增市场主体5000户。', None, '县市场监督管理局', '县行政审批服务局', '长期坚持'),
    (6, '二、城乡建设', '改造城镇老旧小区12个，惠及居民3200户。', '郑强', '县住房和城乡建设局',
     '县财政局、相关镇街', datetime.datetime(2024, 9, 30)),
    (7, None, '新建改建农村公路80公里。', None, '县交通运输局', '各镇街', '10月底前'),
    (8, None, '新建改造城乡供水管网60公里。', None, '县水务局', '县住建局', '上半年'),
    (9, None, '完成高标准农田建设3万亩。', '王磊', '县农业农村局', '县财政局、县自然资源和规划局',
     '2024年11月30日'),
    (10, '三、民生保障', '城镇新增就业4500人，城镇登记失业率控制在3.5%以内。', '陈静',
     '县人力资源和社会保障局', '各镇街', '年底前'),
    (11, None, '新增普惠性托位300个。', None, '县卫生健康局', '县人社局、县教育和体育局',
     '8月底前'),
    (12, None, '新建城市社区养老服务中心4处。', None, '县民政局', '县卫生健康局', '12月底'),
]


def xlsx(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = '任务分解表'
    ws.append(['2024年云溪县政府重点工作任务分解表'])
    ws.merge_cells('A1:G1')
    ws.append(['序号', '类别', '任务内容', '牵头县领导', '牵头单位', '配合单位', '完成时限'])
    for r in XLSX_ROWS:
        ws.append(list(r))
    ws['G8'].number_format = 'yyyy-mm-dd'
    # Merged as an office merges them: the covered cells are empty.
    for rng in ('B3:B7', 'B8:B11', 'B12:B14', 'D3:D5', 'D6:D7', 'D8:D10', 'D12:D14', 'E3:E4'):
        ws.merge_cells(rng)
    wb.properties.created = datetime.datetime(2024, 1, 5)
    wb.properties.modified = datetime.datetime(2024, 1, 5)
    wb.save(path)


MERGED_ROWS = [
    # 序号, 类别, 任务内容, 牵头县领导, 牵头单位, 配合单位, 完成时限
    (1, '一、经济发展', '规模以上工业增加值增长7%。', '孙立', '县工业和信息化局', '县统计局',
     '2025年12月底前'),
    (2, None, '新签约亿元以上项目20个。', None, '县商务局', '县财政局', '2025年6月底前'),
    (3, None, '新增专精特新企业5家。', None, '县工业和信息化局', None, '年底前'),
    (4, None, '城乡居民人均可支配收入增长6%。', None, '县统计局', None, '年底前'),
    ('二、民生保障', None, None, None, None, None, None),
    (5, '二、民生保障', '新增城镇就业3000人。', '李红', '县人力资源和社会保障局', '各镇街',
     '2025年9月底前'),
    (6, None, '新建乡村幸福院10处。', '李红', '县民政局', '县卫生健康局', None),
    (7, None, '改造农村危房200户。', '李红', None, None, None),
]


def merged_xlsx(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = '任务分解表'
    ws.append(['2025年石门县重点工作任务分解表'])
    ws.merge_cells('A1:G1')
    ws.append(['序号', '类别', '任务内容', '牵头县领导', '牵头单位', '配合单位', '完成时限'])
    for r in MERGED_ROWS:
        ws.append(list(r))
    for rng in ('B3:B6', 'D3:D6', 'F4:F6', 'A7:G7', 'B8:B10', 'E9:E10', 'G8:G10'):
        ws.merge_cells(rng)
    wb.properties.created = datetime.datetime(2025, 1, 6)
    wb.properties.modified = datetime.datetime(2025, 1, 6)
    wb.save(path)


def xls(src, path):
    with tempfile.TemporaryDirectory() as home:
        subprocess.run(['soffice', '--headless', '--convert-to', 'xls', '--outdir', home, src],
                       check=True, env=dict(os.environ, HOME=home), capture_output=True)
        os.replace(os.path.join(home, 'tasks.xls'), path)


CSV_ROWS = [
    ('柳溪县2025年重点工作任务清单',),
    (),
    ('编号', '领域', '工作任务', '责任领导', '责任单位', '完成时间'),
    ('1', '产业发展', '规模以上工业增加值增长7%。', '刘洋', '县工业和信息化局、县发展和改革局',
     '2025年12月底前'),
    ('2', '', '新引进亿元以上项目20个，其中10亿元以上项目3个。', '', '县商务局，县发展和改革局',
     '9月底前'),
    ('3', '', '新增高新技术企业10家。', '孙丽', '县科学技术局', '年底前'),
    ('4', '社会事业', '新建改扩建中小学3所。', '孙丽',
     '县财政局、县教育和体育局（牵头）、县自然资源和规划局', '秋季开学前'),
    ('5', '', '新增城镇就业3000人。', '', '县人力资源和社会保障局', '12月底'),
    ('6', '', '城乡居民医保参保率稳定在95%以上。', '何军', '县医疗保障局、各镇街', '6月30日前'),
    ('7', '生态环保', 'PM2.5平均浓度控制在40微克/立方米以下。', '何军',
     '市生态环境局柳溪县分局、县住房和城乡建设局', '年底前'),
    ('8', '', '完成河道综合治理15公里。', '刘洋', '县水务局', '2025年10月底'),
]


def csv(path):
    def q(c):
        return '"%s"' % c.replace('"', '""') if any(x in c for x in ',"\n') else c
    text = ''.join(','.join(q(c) for c in r) + '\r\n' for r in CSV_ROWS)
    with open(path, 'wb') as f:
        f.write(text.encode('gbk'))


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

NOTICE = [
    '青政发〔2024〕3号', '', '', '青峰县人民政府', '', '关于印发2024年县政府重点工作任务分解表的',
    '', '通    知', '', '各乡镇人民政府，县政府各部门：', '',
    '为抓好2024年县政府各项重点工作落实，现将《2024年县政府重点工作任务分解表》印发给你们，'
    '请认真抓好落实。具体落实情况分别于6月30日和12月25日前报县政府办公室督查室。', '',
    '附件：2024年县政府重点工作任务分解表', '', '                               青峰县人民政府', '',
    '                               2024年2月20日', '', '附件1：', '2024年县政府重点工作任务分解表',
]

# 序号, 重点工作, 责任县领导, 主要责任单位, 其他责任单位, 时间节点; 'restart'/'continue' merges
DOCX_ROWS = [
    ('1', '粮食播种面积稳定在45万亩以上。', ('林涛', 'restart'), '县农业农村局', '各乡镇', '9月底前'),
    ('2', '新建高标准农田2万亩。', ('', 'continue'), '县农业农村局', '县财政局、县自然资源局',
     '2024年11月底前'),
    ('3', '城镇新增就业2800人。', ('许红', 'restart'), '县人力资源和社会保障局', '——', '年底前'),
    ('4', '新改建农村公路60公里。', ('', 'continue'), '县交通运输局', '县财政局', '10月底前'),
    ('5', '完成中小学校舍改造5所。', '沈刚', '县教育和体育局', ('县财政局', 'restart'),
     '8月31日前'),
    ('6', '新建村级卫生室12个。', '沈刚', '县卫生健康局', ('', 'continue'), '12月底前'),
    ('7', '完成城区雨污分流改造8公里。', '林涛', '县住房和城乡建设局（牵头）', '县水务局', '上半年'),
]


def para(text):
    if not text:
        return '<w:p/>'
    return '<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % escape(text)


def tc(c):
    text, merge = (c, None) if isinstance(c, str) else c
    pr = ''
    if merge == 'span2':
        pr = '<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>'
    elif merge:
        pr = '<w:tcPr>%s</w:tcPr>' % ('<w:vMerge w:val="restart"/>' if merge == 'restart'
                                      else '<w:vMerge/>')
    return '<w:tc>%s%s</w:tc>' % (pr, para(text))


def docx(path, notice=NOTICE):
    body = [para(l) for l in notice]
    # The header over two rows: 责任单位 spans its two columns (gridSpan), the others are merged
    # down (vMerge) over the row that names 主要责任单位 and 其他责任单位.
    r, c = 'restart', 'continue'
    rows = [(('序号', r), ('重点工作', r), ('责任县领导', r), ('责任单位', 'span2'), ('时间节点', r)),
            (('', c), ('', c), ('', c), '主要责任单位', '其他责任单位', ('', c))] + DOCX_ROWS
    body.append('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>%s</w:tbl>' %
                ''.join('<w:tr>%s</w:tr>' % ''.join(tc(c) for c in r) for r in rows))
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document %s><w:body>%s'
           '<w:sectPr/></w:body></w:document>' % (W, ''.join(body)))
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
             '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '</Relationships>')
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in (('[Content_Types].xml', types), ('_rels/.rels', rels),
                           ('word/document.xml', doc)):
            info = zipfile.ZipInfo(name, date_time=(2024, 2, 20, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode('utf-8'))


def main():
    for d in ('15-table-xls', '16-table-csv-gbk', '17-table-docx', '20-table-docx-bare',
              '21-table-merged-ranges', '22-table-merged-ranges-xls'):
        os.makedirs(os.path.join(UP, d), exist_ok=True)
    xlsx(os.path.join(HERE, 'tasks.xlsx'))
    xls(os.path.join(HERE, 'tasks.xlsx'), os.path.join(UP, '15-table-xls', 'tasks.xls'))
    csv(os.path.join(UP, '16-table-csv-gbk', 'tasks.csv'))
    docx(os.path.join(UP, '17-table-docx', 'document.docx'))
    docx(os.path.join(UP, '20-table-docx-bare', 'tasks.docx'),
         ['附件', '2024年石桥县重点工作任务清单', ''])
    merged = os.path.join(UP, '21-table-merged-ranges', 'tasks.xlsx')
    merged_xlsx(merged)
    xls(merged, os.path.join(UP, '22-table-merged-ranges-xls', 'tasks.xls'))


main()
