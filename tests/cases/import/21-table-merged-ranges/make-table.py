#!/usr/bin/python3
"""Writes the task tables of the import cases 21 and 22: 2025年石门县重点工作任务分解表, 7 tasks
in which an office merged cells as offices do, so that what the merged ranges say is what the
catalog must say:

  - 配合单位 F4:F6: 县财政局 is the co-unit of tasks 2, 3 and 4 (not of 2 alone);
  - 完成时限 G8:G10: 2025年9月底前 is the deadline of tasks 5, 6 and 7;
  - 类别 B3:B6 and B8:B10, 牵头县领导 D3:D6 and 牵头单位 E9:E10: carried down as before;
  - the heading row 二、民生保障 merged across A7:G7 (a range of one row covers nothing below);
  - F10 left empty and unmerged: task 7 has no co-unit (an empty cell still means none).

  21-table-merged-ranges/tasks.xlsx        written by openpyxl (<mergeCells> after the rows,
                                           the covered cells written empty)
  22-table-merged-ranges-xls/tasks.xls     the same saved by LibreOffice as Excel 97-2003
                                           (MERGEDCELLS records)
Usage: make-table.py (from this directory).
"""
import datetime
import os
import subprocess
import tempfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
XLS_DIR = os.path.join(os.path.dirname(HERE), '22-table-merged-ranges-xls')

ROWS = [
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


def xlsx(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = '任务分解表'
    ws.append(['2025年石门县重点工作任务分解表'])
    ws.merge_cells('A1:G1')
    ws.append(['序号', '类别', '任务内容', '牵头县领导', '牵头单位', '配合单位', '完成时限'])
    for r in ROWS:
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


def main():
    src = os.path.join(HERE, 'tasks.xlsx')
    xlsx(src)
    xls(src, os.path.join(XLS_DIR, 'tasks.xls'))


if __name__ == '__main__':
    main()
