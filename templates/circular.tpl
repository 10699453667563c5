{{! circular.tpl — the default 督查通报 of ducha-pdf: red header, 一、总体情况 … 四、下步工作要求, }}
{{! 附件1 一览表, 附件2 单位排名表, 版记. The syntax and every name: man 5 ducha-template. }}
{{! The defaults below are used where the catalog has no document facts (document.csv). }}
{{:county=嘉祥县}}
{{:county_short=嘉祥}}
{{:office=县政府督查室}}
{{:basis_issuer=嘉祥县人民政府}}
{{:basis_title=关于印发2023年重点工作责任目标的通知}}
{{:basis_number=嘉政发〔2023〕1号}}
{{:addressees=各镇（街道）人民政府（办事处），嘉祥经济开发区管委会，县政府各部门}}
{{:cc=县委办公室，县人大常委会办公室，县政协办公室，县纪委监委}}
{{#serial}}
@issuer 督查通报
@number {{number}}
@imprint {{county}}人民政府督查室|{{date}}
{{/serial}}
{{^serial}}
@issuer {{county}}人民政府督查室
@number {{number}}
{{/serial}}
@subject 督查通报
{{#title}}
@title {{&title}}
{{/title}}
{{^title}}
{{#subset}}
@title 关于{{cycle_label}}{{subset}}推进情况的通报
{{/subset}}
{{^subset}}
@title 关于{{cycle_label}}全县重点工作|推进情况的通报
{{/subset}}
{{/title}}
@to {{addressees}}：
按照{{basis_issuer}}《{{basis_title}}》（{{basis_number}}）要求，{{office}}采取查阅资料、电话核查、现场核实等方式，对全县重点工作{{cycle_label}}推进情况进行了督查{{#subset}}，本通报仅涉及其中{{subset}}{{/subset}}。现将有关情况通报如下：
# 一、总体情况
本次督查涉及重点工作和民生实事{{tasks}}项，按承办单位分解为{{rows}}项具体任务{{#subset}}（仅含{{subset}}）{{/subset}}。从进展情况看，{{#by_status}}{{name}}{{count}}项，占{{share}}{{|；}}{{/by_status}}。按“蓝黄红”三色标识，{{#by_colour}}{{name}}{{count}}项，占{{share}}{{|；}}{{/by_colour}}。各项任务推进情况详见附件1，各单位得分和位次详见附件2。
# 二、进展较好的单位
{{#groups}}
{{group}}中，{{best_some}}{{#best_tied}}并列{{/best_tied}}位居第一。
{{/groups}}
{{#done_tasks_listed}}
已完成的任务有：{{#done_tasks}}{{hosts}}承办的第{{id}}项“{{title}}”{{|；}}{{/done_tasks}}。
{{/done_tasks_listed}}
{{^done_tasks_listed}}
{{#done_tasks_count}}
已完成任务涉及重点工作{{done_tasks_count}}项，详见附件1。
{{/done_tasks_count}}
{{/done_tasks_listed}}
# 三、存在的问题
## （一）部分任务进展滞后
{{#red_tasks_count}}
{{#red_rows}}{{unit}}承办的第{{id}}项“{{title}}”（{{reason}}）{{|；}}{{/red_rows}}，以上任务标为红色，进展明显滞后，请相关单位加快工作节奏。
{{/red_tasks_count}}
{{^red_tasks_count}}
本期没有标为红色的任务。
{{/red_tasks_count}}
{{#yellow_tasks_count}}
另有{{yellow}}项任务标为黄色，略低于序时进度，详见附件1。
{{/yellow_tasks_count}}
## （二）部分单位报送不及时
{{#late_units_count}}
{{#late_units}}{{name}}{{|、}}{{/late_units}}逾期报送落实情况。
{{/late_units_count}}
{{#missing_units_count}}
{{#missing_units}}{{name}}（第{{tasks}}项）{{|、}}{{/missing_units}}未按要求报送落实情况。
{{/missing_units_count}}
{{^late_units_count}}
{{^missing_units_count}}
各单位均按时报送了落实情况。
{{/missing_units_count}}
{{/late_units_count}}
# 四、下步工作要求
一是压实工作责任。各承办单位要对照年度目标任务，倒排工期、挂图作战，确保按期完成。对标为红色、黄色的任务，主要负责同志要亲自研究、亲自调度，逐项查找原因，制定整改措施。
二是强化协同配合。各协办单位要主动对接、密切配合，形成工作合力，不得推诿扯皮。
三是严格督查问效。{{office}}将对红色任务实行“蓝、黄、红”三单预警督办，适时开展“回头看”，直至办结销号；对推进不力、进展明显滞后的单位，将提请县政府约谈。
四是按时报送情况。各承办单位要严格按照规定时限报送落实情况，逾期未报的予以通报。
@signature {{county}}人民政府督查室
@date {{date}}
@appendix {{cycle_label}}重点工作推进情况一览表
@table 3c|3c|12l|6l|3c|3c|4c
@head 序号|编号|重点工作|承办单位|进度|标识|较上期
{{#overview}}
@row {{no}}|{{id}}|{{title}}|{{host}}|{{progress}}|{{&colour_tag}}{{colour_word}}|{{arrow}}
{{/overview}}
@end
@appendix 单位排名表
{{#groups}}
## {{group}}
@table 3c|8l|4c|3c|3c|3c|4c|3c|4c|4c
@head 位次|单位|任务数|蓝|黄|红|未报送|逾期|得分|较上期
{{#units}}
@row {{rank}}|{{unit}}|{{tasks}}|{{blue}}|{{yellow}}|{{red}}|{{missing}}|{{late}}|{{score}}|{{move}}
{{/units}}
@end
{{/groups}}
@copy 抄送：{{cc}}。
@printed {{county}}人民政府督查室|{{date}}印发
