{{! dispatch.tpl — 调度通报: the short circular of a cycle on some tasks only (cycles.csv tasks, }}
{{! a weekly 专题调度 on a few phase items). ducha-cycle uses it for such a cycle; it says which }}
{{! tasks it covers (cycle_scope: 重点工作第3、17、45项) in its title and first line, counts, }}
{{! names what lags and who did not report, and has one attachment, the overview of those }}
{{! tasks. The syntax and every name: man 5 ducha-template. }}
{{:county=嘉祥县}}
{{:office=县政府督查室}}
{{:basis_issuer=嘉祥县人民政府}}
{{:basis_title=关于印发2023年重点工作责任目标的通知}}
{{:basis_number=嘉政发〔2023〕1号}}
{{:addressees=各有关单位}}
{{:cc=县政府主要领导，县政府各副县长}}
@issuer 调度通报
@number {{number}}
@imprint {{county}}人民政府督查室|{{date}}
@subject 调度通报
{{#title}}
@title {{&title}}
{{/title}}
{{^title}}
@title 关于{{cycle_label}}|{{cycle_scope}}推进情况的通报
{{/title}}
@to {{addressees}}：
按照{{basis_issuer}}《{{basis_title}}》（{{basis_number}}）要求，{{office}}开展了{{cycle_label}}。本期调度{{cycle_scope}}，不涉及其他任务。现将有关情况通报如下：
# 一、总体情况
本期调度的任务按承办单位分解为{{rows}}项具体任务。按各承办单位报送的完成进度计，{{#by_status}}{{name}}{{count}}项{{|；}}{{/by_status}}。按“蓝黄红”三色标识，{{#by_colour}}{{name}}{{count}}项{{|；}}{{/by_colour}}。各项任务推进情况详见附件。
{{#not_demanded_rows}}
个别单位报送了本期调度以外的任务，不计入本期统计。
{{/not_demanded_rows}}
# 二、存在的问题
{{#lagging_rows_count}}
{{#lagging_rows}}{{unit}}承办的{{ref}}“{{title_q}}”（{{reason}}）{{|；}}{{/lagging_rows}}，以上任务标为红色，请相关单位加快推进。
{{/lagging_rows_count}}
{{#returned_units_count}}
{{#returned_units}}{{name}}（{{refs}}）{{|、}}{{/returned_units}}报送的内容有误，已退回修改。
{{/returned_units_count}}
{{#late_units_count}}
{{#late_units}}{{name}}{{|、}}{{/late_units}}逾期报送。
{{/late_units_count}}
{{#missing_units_count}}
{{#missing_units}}{{name}}（{{refs}}）{{|、}}{{/missing_units}}未报送调度情况。
{{/missing_units_count}}
{{^lagging_rows_count}}
{{^returned_units_count}}
{{^late_units_count}}
{{^missing_units_count}}
本期调度的任务均按要求报送，没有标为红色的任务。
{{/missing_units_count}}
{{/late_units_count}}
{{/returned_units_count}}
{{/lagging_rows_count}}
# 三、下步工作要求
各承办单位要对照调度事项倒排工期，按时如实报送调度情况；对标为红色的任务，主要负责同志要亲自调度，{{office}}将跟踪督办，直至办结销号。
@signature {{county}}人民政府督查室
@date {{date}}
@appendix {{cycle_label}}{{cycle_scope}}推进情况一览表
@table 3c|5c|11l|6l|3c|3c|4c
@head 序号|编号|任务|承办单位|进度|标识|较上期
{{#overview}}
{{^not_demanded}}
@row {{no}}|{{tid}}|{{title}}|{{host}}|{{progress}}|{{&colour_tag}}{{colour_word}}|{{arrow}}
{{/not_demanded}}
{{/overview}}
@end
@copy 抄送：{{cc}}。
@printed {{county}}人民政府督查室|{{date}}印发
