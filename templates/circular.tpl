{{! circular.tpl — the default 督查通报 of ducha-pdf: red header, 一、总体情况 …, 下步工作要求, }}
{{! 附件1 一览表, 附件2 单位排名表, 版记. The syntax and every name: man 5 ducha-template. }}
{{! The defaults below are used where the catalog has no document facts (document.csv). }}
{{! Every count is of the figures (100 done, 0 not started, the colour for the rest), never }}
{{! of a unit's own status word; the year's last cycle (year_end) speaks of the year. }}
{{! Tasks demanded from nobody (DESIGN.md, Rules) are counted nowhere: a task addressed to }}
{{! everyone (everyone: 78–81) or a roll-up (rollup: 63, of the livelihood items) has its own }}
{{! line in 附件1 (not_demanded, no number, no colour); a report that came anyway is in came. }}
{{:county=嘉祥县}}
{{:county_short=嘉祥}}
{{:office=县政府督查室}}
{{:basis_issuer=嘉祥县人民政府}}
{{:basis_title=关于印发2023年重点工作责任目标的通知}}
{{:basis_number=嘉政发〔2023〕1号}}
{{:addressees=各镇（街道）人民政府（办事处），嘉祥经济开发区管委会，县政府各部门}}
{{! 抄送 is this office's own list, not the targets document's. }}
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
{{#year_end}}
@title 关于{{year}}年{{subset}}完成情况的通报
{{/year_end}}
{{^year_end}}
@title 关于{{cycle_label}}{{subset}}推进情况的通报
{{/year_end}}
{{/subset}}
{{^subset}}
{{#year_end}}
@title 关于{{year}}年全县重点工作|完成情况的通报
{{/year_end}}
{{^year_end}}
@title 关于{{cycle_label}}全县重点工作|推进情况的通报
{{/year_end}}
{{/subset}}
{{/title}}
@to {{addressees}}{{#others_named}}，各有关单位{{/others_named}}：
按照{{basis_issuer}}《{{basis_title}}》（{{basis_number}}）要求，{{office}}采取查阅资料、电话核查、现场核实等方式，对全县重点工作{{#year_end}}{{year}}年全年完成{{/year_end}}{{^year_end}}{{cycle_label}}推进{{/year_end}}情况进行了督查{{#subset}}，本通报仅涉及其中{{subset}}{{/subset}}。现将有关情况通报如下：
{{#year_end}}
# 一、全年目标完成情况
本次督查涉及{{#key_tasks}}重点工作{{key_tasks}}项{{#livelihood_tasks}}、{{/livelihood_tasks}}{{/key_tasks}}{{#livelihood_tasks}}民生实事{{livelihood_tasks}}项（目）{{/livelihood_tasks}}，按承办单位分解为{{rows}}项具体任务{{#subset}}（仅含{{subset}}）{{/subset}}。{{#nd_tasks}}另有{{#everyone_tasks}}{{everyone_refs}}面向全县各部门、各镇街和县经开区，不要求单独报送{{#rollup_tasks}}；{{/rollup_tasks}}{{/everyone_tasks}}{{#rollup_tasks}}{{rollup_refs}}为民生实事各项的汇总，以民生实事各项计{{/rollup_tasks}}。以上{{nd_tasks}}项不计入上述任务数{{#not_demanded_rows}}，个别单位自行报送的情况列入附件1备查{{/not_demanded_rows}}。{{/nd_tasks}}按各承办单位报送的完成进度计，截至年底，{{#by_result}}{{name}}{{count}}项，占{{share}}{{|；}}{{/by_result}}。按整项任务计（一项任务的全部承办单位均完成才计为完成），重点工作已完成{{tasks_done_key}}项，民生实事已完成{{tasks_done_livelihood}}项（目）。各项任务完成情况详见附件1，各单位得分和位次详见附件2。
{{/year_end}}
{{^year_end}}
# 一、总体情况
本次督查涉及{{#key_tasks}}重点工作{{key_tasks}}项{{#livelihood_tasks}}、{{/livelihood_tasks}}{{/key_tasks}}{{#livelihood_tasks}}民生实事{{livelihood_tasks}}项（目）{{/livelihood_tasks}}，按承办单位分解为{{rows}}项具体任务{{#subset}}（仅含{{subset}}）{{/subset}}。{{#nd_tasks}}另有{{#everyone_tasks}}{{everyone_refs}}面向全县各部门、各镇街和县经开区，不要求单独报送{{#rollup_tasks}}；{{/rollup_tasks}}{{/everyone_tasks}}{{#rollup_tasks}}{{rollup_refs}}为民生实事各项的汇总，以民生实事各项计{{/rollup_tasks}}。以上{{nd_tasks}}项不计入上述任务数{{#not_demanded_rows}}，个别单位自行报送的情况列入附件1备查{{/not_demanded_rows}}。{{/nd_tasks}}按各承办单位报送的完成进度计，{{#by_status}}{{name}}{{count}}项，占{{share}}{{|；}}{{/by_status}}。按“蓝黄红”三色标识，{{#by_colour}}{{name}}{{count}}项，占{{share}}{{|；}}{{/by_colour}}。{{#tasks_done}}按整项任务计（一项任务的全部承办单位均完成才计为完成），已完成{{tasks_done}}项。{{/tasks_done}}各项任务推进情况详见附件1，各单位得分和位次详见附件2。
{{/year_end}}
{{#h_good}}
{{^subset}}
# {{h_good}}、进展较好的单位和任务
{{#groups}}
{{#best_many}}
{{#best_full}}
{{group}}中，{{best_some}}承担的任务{{#year_end}}全部完成{{/year_end}}{{^year_end}}全部按进度完成{{/year_end}}，得分均为{{best_score}}分。
{{/best_full}}
{{^best_full}}
{{group}}中，{{best_some}}得分均为{{best_score}}分，位次相同。
{{/best_full}}
{{/best_many}}
{{^best_many}}
{{#best_tied}}
{{group}}中，{{best}}得分均为{{best_score}}分，并列位居第一。
{{/best_tied}}
{{^best_tied}}
{{#best_count}}
{{group}}中，{{best}}得分{{best_score}}分，位居第一。
{{/best_count}}
{{/best_tied}}
{{/best_many}}
{{/groups}}
{{/subset}}
{{#subset}}
# {{h_good}}、相关单位位次
{{#groups}}
{{group}}中，{{#ranked}}{{unit}}得分{{score}}分，位居第{{rank}}位{{|；}}{{/ranked}}{{#ranked_more}}；其余单位位次详见附件2{{/ranked_more}}。
{{/groups}}
{{/subset}}
{{#done_tasks_listed}}
全部承办单位均已完成的任务有：{{#done_tasks}}{{hosts}}承办的{{ref}}“{{title_q}}”{{|；}}{{/done_tasks}}。
{{/done_tasks_listed}}
{{^done_tasks_listed}}
{{#done_tasks_count}}
全部承办单位均已完成的任务有{{done_tasks_count}}项，其中重点工作{{tasks_done_key}}项、民生实事{{tasks_done_livelihood}}项（目），详见附件1。
{{/done_tasks_count}}
{{/done_tasks_listed}}
{{/h_good}}
{{#h_problems}}
# {{h_problems}}、存在的问题
{{#year_end}}
{{#s_lagging}}
## {{s_lagging}}部分任务未完成全年目标
{{#unfinished_rows}}{{unit}}承办的{{ref}}“{{title_q}}”完成{{progress}}%，距全年目标差{{gap}}个百分点{{#indicators}}（指标完成情况：{{indicators}}）{{/indicators}}{{|；}}{{/unfinished_rows}}。以上任务未完成全年目标。
{{/s_lagging}}
{{/year_end}}
{{^year_end}}
{{#s_lagging}}
## {{s_lagging}}部分任务进展滞后
{{#lagging_rows}}{{unit}}承办的{{ref}}“{{title_q}}”（{{reason}}）{{|；}}{{/lagging_rows}}{{#lagging_rows_count}}，以上任务标为红色，进展明显滞后，请相关单位加快工作节奏。{{/lagging_rows_count}}
{{#yellow_reported}}
{{#lagging_rows_count}}另有{{/lagging_rows_count}}{{yellow_reported}}项任务标为黄色，略低于序时进度，详见附件1。
{{/yellow_reported}}
{{/s_lagging}}
{{/year_end}}
{{#s_returned}}
## {{s_returned}}部分单位报送内容有误
{{#returned_units}}{{name}}（{{refs}}）{{|、}}{{/returned_units}}报送的落实情况内容有误，已退回修改，请按回执要求修改后重新报送。
{{/s_returned}}
{{#s_reporting}}
## {{s_reporting}}部分单位未按要求报送
{{#late_units_count}}
{{#late_units}}{{name}}{{|、}}{{/late_units}}逾期报送落实情况。
{{/late_units_count}}
{{#missing_units_count}}
{{#missing_units}}{{name}}（{{refs}}）{{|、}}{{/missing_units}}未报送落实情况。
{{/missing_units_count}}
{{/s_reporting}}
{{/h_problems}}
# {{h_next}}、下步工作要求
{{#year_end}}
一是抓好收尾攻坚。对未完成全年目标的任务，各承办单位要逐项分析原因，明确完成时限和责任人，抓紧补齐短板，能完成的尽快完成。
二是做好工作衔接。未完成的任务纳入{{next_year}}年度工作统筹推进，各牵头单位要主动对接、密切配合，形成工作合力。
三是严格督查问效。{{office}}将对未完成的任务跟踪督办，直至办结销号；对工作不力、未完成年度目标的单位，将提请县政府约谈。
四是规范报送工作。各承办单位要严格按照规定时限如实报送完成情况，报送内容有误的要按回执要求及时修改，逾期未报的予以通报。
{{/year_end}}
{{^year_end}}
一是压实工作责任。各承办单位要对照年度目标任务，倒排工期、挂图作战，确保按期完成。对标为红色、黄色的任务，主要负责同志要亲自研究、亲自调度，逐项查找原因，制定整改措施。
二是强化协同配合。各协办单位要主动对接、密切配合，形成工作合力，不得推诿扯皮。
三是严格督查问效。{{office}}将对标为红色的任务挂牌督办，适时开展“回头看”，直至办结销号；对推进不力、进展明显滞后的单位，将提请县政府约谈。
四是按时报送情况。各承办单位要严格按照规定时限如实报送落实情况，报送内容有误的要按回执要求及时修改，逾期未报的予以通报。
{{/year_end}}
@signature {{county}}人民政府督查室
@date {{date}}
{{#year_end}}
@appendix {{year}}年重点工作完成情况一览表
{{/year_end}}
{{^year_end}}
@appendix {{cycle_label}}重点工作推进情况一览表
{{/year_end}}
@table 3c|5c|11l|6l|3c|3c|4c
@head 序号|编号|重点工作|承办单位|进度|标识|较上期
{{#overview}}
{{^not_demanded}}
@row {{no}}|{{tid}}|{{title}}|{{host}}|{{progress}}|{{&colour_tag}}{{colour_word}}|{{arrow}}
{{/not_demanded}}
{{#everyone}}
@row |{{tid}}|{{title}}（面向全县，不要求单独报送{{#came}}；{{unit}}自行报送进度{{progress}}，不计入统计{{/came}}）|{{host}}|—|—|
{{/everyone}}
{{#rollup}}
@row |{{tid}}|{{title}}（汇总民生实事{{items}}项，已完成{{items_done}}项，详见本表民生实事各项）|{{host}}|—|—|
{{/rollup}}
{{/overview}}
@end
@appendix 单位排名表
{{#groups}}
## {{group}}
{{#has_returned}}
@table 3c|8l|4c|3c|3c|3c|3c|3c|3c|4c|4c
@head 位次|单位|任务数|蓝|黄|红|有误|未报|逾期|得分|较上期
{{#units}}
@row {{rank}}|{{unit}}|{{tasks}}|{{blue}}|{{yellow}}|{{red}}|{{returned}}|{{missing}}|{{late}}|{{score}}|{{move}}
{{/units}}
{{/has_returned}}
{{^has_returned}}
@table 3c|8l|4c|3c|3c|3c|4c|3c|4c|4c
@head 位次|单位|任务数|蓝|黄|红|未报送|逾期|得分|较上期
{{#units}}
@row {{rank}}|{{unit}}|{{tasks}}|{{blue}}|{{yellow}}|{{red}}|{{missing}}|{{late}}|{{score}}|{{move}}
{{/units}}
{{/has_returned}}
@end
{{/groups}}
{{#unranked_count}}
## 不参加排名的单位
{{#has_returned}}
@table 8l|4c|3c|3c|3c|3c|3c|3c|4c
@head 单位|任务数|蓝|黄|红|有误|未报|逾期|得分
{{#unranked}}
@row {{unit}}|{{tasks}}|{{blue}}|{{yellow}}|{{red}}|{{returned}}|{{missing}}|{{late}}|{{score}}
{{/unranked}}
{{/has_returned}}
{{^has_returned}}
@table 8l|4c|3c|3c|3c|4c|3c|4c
@head 单位|任务数|蓝|黄|红|未报送|逾期|得分
{{#unranked}}
@row {{unit}}|{{tasks}}|{{blue}}|{{yellow}}|{{red}}|{{missing}}|{{late}}|{{score}}
{{/unranked}}
{{/has_returned}}
@end
{{/unranked_count}}
@copy 抄送：{{cc}}。
@printed {{county}}人民政府督查室|{{date}}印发
