{{! briefing.tpl — 督查专报: a short report up to the county's leaders on the red tasks (at the }}
{{! year's end: the tasks not finished), one page or two. Masthead 督查专报 with the issue }}
{{! (--number 第5期), the office and the date. The syntax and every name: man 5 ducha-template. }}
{{:county=嘉祥县}}
{{:office=县政府督查室}}
{{:cc=县政府主要领导，县政府各副县长}}
@issuer 督查专报
@number {{number}}
@imprint {{county}}人民政府督查室|{{date}}
@subject 督查专报
{{#title}}
@title {{&title}}
{{/title}}
{{^title}}
{{#year_end}}
@title 关于{{year}}年{{#subset_scope}}{{subset_scope}}中{{/subset_scope}}未完成任务情况的报告
{{/year_end}}
{{^year_end}}
@title 关于{{cycle_label}}{{#subset_scope}}{{subset_scope}}中{{/subset_scope}}红色任务情况的报告
{{/year_end}}
{{/title}}
{{#year_end}}
{{office}}对全县重点工作{{year}}年全年完成情况进行了督查。{{#subset_scope}}{{subset_scope}}中，{{/subset_scope}}{{^subset_scope}}在{{rows}}项具体任务中，{{/subset_scope}}按承办单位报送的完成进度计，{{#by_result}}{{name}}{{count}}项{{|，}}{{/by_result}}。现将未完成和未按要求报送的任务报告如下：
{{#unfinished_rows}}
{{ref}}“{{title_q}}”（牵头领导：{{leaders}}；承办单位：{{unit}}）：完成{{progress}}%，距全年目标差{{gap}}个百分点{{#indicators}}（指标完成情况：{{indicators}}）{{/indicators}}。
{{/unfinished_rows}}
{{^unfinished_rows}}
所涉任务均已报送完成。
{{/unfinished_rows}}
{{/year_end}}
{{^year_end}}
{{cycle_label}}，{{office}}对全县重点工作推进情况进行了督查。{{#subset_scope}}{{subset_scope}}中，{{/subset_scope}}{{^subset_scope}}在{{rows}}项具体任务中，{{/subset_scope}}标为红色的有{{red}}项，涉及{{red_tasks_count}}项任务。现将有关情况报告如下：
{{#lagging_rows}}
{{ref}}“{{title_q}}”（牵头领导：{{leaders}}；承办单位：{{unit}}）：{{reason}}。
{{/lagging_rows}}
{{^red}}
本期没有标为红色的任务。
{{/red}}
{{/year_end}}
{{#returned_units_count}}
报送内容有误、已退回修改的单位：{{#returned_units}}{{name}}（{{refs}}）{{|、}}{{/returned_units}}。
{{/returned_units_count}}
{{#missing_units_count}}
未报送落实情况的单位：{{#missing_units}}{{name}}（{{refs}}）{{|、}}{{/missing_units}}。
{{/missing_units_count}}
{{#year_end}}
建议对以上未完成的任务由牵头县领导调度推进，明确完成时限，{{office}}跟踪督查，直至办结销号。
{{/year_end}}
{{^year_end}}
{{#lagging_rows_count}}
建议对以上任务挂牌督办，由牵头县领导调度推进，{{office}}跟踪督查，直至办结销号。
{{/lagging_rows_count}}
{{/year_end}}
@copy 报：{{cc}}。
@printed {{county}}人民政府督查室|{{date}}印发
