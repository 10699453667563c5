{{! briefing.tpl — 督查专报: a short report up to the county's leaders on the red tasks, one page }}
{{! or two. Masthead 督查专报 with the issue (--number 第5期), the office and the date. The }}
{{! syntax and every name: man 5 ducha-template. }}
{{:county=嘉祥县}}
{{:office=县政府督查室}}
@issuer 督查专报
@number {{number}}
@imprint {{county}}人民政府督查室|{{date}}
@subject 督查专报
{{#title}}
@title {{&title}}
{{/title}}
{{^title}}
@title 关于{{cycle_label}}{{#subset_scope}}{{subset_scope}}中{{/subset_scope}}红色任务情况的报告
{{/title}}
{{cycle_label}}，{{office}}对全县重点工作推进情况进行了督查。{{#subset_scope}}{{subset_scope}}中，{{/subset_scope}}{{^subset_scope}}在{{rows}}项具体任务中，{{/subset_scope}}标为红色的有{{red}}项，涉及{{red_tasks_count}}项重点工作。现将有关情况报告如下：
{{#red_rows}}
{{id}}. {{title}}（牵头领导：{{leaders}}；承办单位：{{unit}}）：{{reason}}。
{{/red_rows}}
{{^red_rows}}
本期没有标为红色的任务。
{{/red_rows}}
{{#missing_units_count}}
未按要求报送落实情况的单位：{{#missing_units}}{{name}}（第{{tasks}}项）{{|、}}{{/missing_units}}。
{{/missing_units_count}}
建议对以上红色任务实行挂牌督办，由牵头县领导调度推进，{{office}}跟踪督查，直至办结销号。
@copy 报：县政府主要领导，县政府各副县长。
@printed {{county}}人民政府督查室|{{date}}印发
