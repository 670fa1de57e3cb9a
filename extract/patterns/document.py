"""Patterns of document-level fields: dates, the inspection, units, counts and their context."""

from __future__ import annotations

from extract.patterns.registry import (
    CN_ORD,
    NUM,
    RANGE_SEP,
    add,
    date_re,
    iso_re,
    lost_re,
)

# --- document-level fields -------------------------------------------------------
add("date", date_re(""), "a date: 2023年7月17日, 11月3日, 2021年9月, 3月下旬",
     ("2023年7月17日", "11月3日", "2021年9月", "3月下旬", "十月"), ())
add("date_iso", iso_re(""), "an ISO-like date: 2024-11-08, 2024.11.08, 2024/11/08",
     ("2024-11-08", "2024.1.8"), ("2024-13-08",))
add("date_range",
     rf"(?:{date_re('s')}){RANGE_SEP}(?:{date_re('e')}|(?P<eday>[0-3]?\d)\s*日)",
     "a date range; the end may omit year and month",
     ("2023年7月17日至8月31日", "2021年4月6日至2021年6月3日", "3月下旬至5月底", "2021年5月至6月",
      "2023年9月1日—10月25日", "2023年9月1日——10月25日", "2023年9月1日-10月25日", "7月17日至31日",
      "2023年11月20日至次年1月"),
     ("2023年7月17日，",))
add("date_range_iso", rf"{iso_re('s')}{RANGE_SEP}{iso_re('e')}",
     "a range of dotted or dashed dates: 2024.3.14-2024.5.20", ("2024.3.14-2024.5.20", "2024-03-14至2024-05-20"), ())
add("date_range_lost_separators", rf"{lost_re('s')}{RANGE_SEP}{lost_re('e')}",
     "a range whose 年/月 were lost in extraction: 2023912日至1025日",
     ("2023912日至1025日",), ("2023年9月12日至10月25日",))
add("inspection_verb", r"巡视|巡察|进驻|开展了|进行了", "a sentence about the inspection itself",
     ("进行了常规巡察",), ())
add("feedback", r"反馈", "a sentence about the feedback of findings", ("进行了意见反馈",), ())
add("as_of", rf"截[至止]到?\s*(?:(?P<now>目前|现在|当前|今年)|(?:{date_re('')})|(?:{iso_re('i')}))",
     "the date the progress figures refer to: 截至2024年9月30日 / 截止目前",
     ("截止2024年4月20日", "截至3月15日", "截止目前", "截至2024-09-30"), ("截止时间",),
     literals=("截",))
add("publish_stamp", rf"(?:发布|发表|成文|印发|公开|更新)(?:日期|时间)\s*[:]?\s*(?:{iso_re('i')}|{date_re('')})",
     "a page stamp: 发布日期：2024-11-08 / 成文日期：2024年5月10日",
     ("发布日期:2024-11-08", "成文日期:2024年5月10日", "发布时间:2024-06-12 09:15:02"), (),
     literals=("日期", "时间"))
add("timestamp_line", rf"\G\s*{iso_re('')}\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*$",
     "a page timestamp line: 2024-06-12 09:15:02", ("2024-06-12 09:15:02",), ("2024-06-12 会议",))
add("signature_date_line", r"\G\s*(?:(?P<y>(?:19|20)\d{2})|(?P<cy>[〇○零一二三四五六七八九]{4}))\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*$",
     "a line holding only a date: the signature date at the end",
     ("2024年5月10日", "二〇二四年五月十日"), ("2024年5月10日召开",))

add("dateline", rf"\G\s*[(（]\s*{date_re('')}\s*[)）]\s*$",
     "a date in brackets under the title: （2024年4月26日）", ("(2024年4月26日)",), ("(2024年4月26日召开)",))
add("signature_date_iso_line", rf"\G\s*{iso_re('')}\s*$", "a signature date written with dots: 2025.3.6",
     ("2025.3.6",), ("2025.3.6 会议",))
add("signature_date_tail", r"(?:。|\s)\s*[^。,;]{2,40}?(?:党组|党委|党工委|委员会|局|办公室|政府|公司|集团|医院|学校|学院|大学|中心|镇|乡|街道|\s)\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*$",
     "a signature and date closing a flattened text", ("长效机制。 中共云泽市自然资源和规划局党组 2024年10月12日",), ("2024年10月12日召开会议",))

# inspection kind, type, inspector, round
add("inspection_kind", r"巡视|巡察", "巡视 (central/provincial) or 巡察 (city/county)", ("巡察",), ())
add("inspection_type",
     r"(?P<type>常规|专项|机动|提级|联动|交叉|延伸|回头看|点穴式|嵌入式)(?:交叉|联动)?(?:\s*[“\"]?回头看[”\"]?)?\s*(?:巡视|巡察)|(?P<rht>[“\"]?回头看[”\"]?)",
     "the type of inspection as stated: 常规巡察, 专项巡视, 提级交叉巡察, 回头看",
     ("进行了常规巡察", "专项巡视", "提级交叉巡察", "“回头看”"), ("巡察",))
add("round",
     rf"(?P<round>(?:{CN_ORD}届)?(?:(?:(?![的对于在按照据根署经由和与向将并日月年了展是届])\p{{Han}}){{0,6}}?"
     rf"(?:中央|省委|市委|州委|县委|区委|旗委|盟委|党委|党组))?第(?:{CN_ORD}|\d+)轮)",
     "the inspection round, with the body that runs it: 十二届省委第七轮 / 总行党委第一轮 / 十三届学校党委第三轮",
     ("十二届省委第七轮", "七届市委第十二轮", "第三轮", "总行党委第一轮", "十三届学校党委第三轮"), ("第三组",),
     literals=("轮",))
#: (the run before 党委/市委 stops at function characters: 按照七届市委… gives 七届市委…)
add("inspector",
     rf"(?<!巡)(?P<inspector>(?:中央|省委|市委|州委|县委|区委|旗委|盟委|自治区党委)(?:(?!巡察|巡视)[\p{{Han}}“”、]){{2,40}}?专项(?:巡视|巡察)(?:组|第?(?:{CN_ORD}|\d+)组)"
     rf"|(?:(?:{CN_ORD}届)?(?:中央|省委|市委|州委|县委|区委|旗委|盟委|自治区党委|党委|校党委|学校党委|集团党委|公司党委|党组)?"
     rf"(?:第(?:{CN_ORD}|\d+)轮)?(?:(?![的对于在按据署经由和与向将并日月年就]|巡察|巡视)[\p{{Han}}“”]){{0,16}}?(?:第?(?:{CN_ORD}|\d+))?(?:专项|机动|提级交叉|提级|交叉|联动)?(?:巡视|巡察)(?:组|第?(?:{CN_ORD}|\d+)组))"
     rf"(?:、(?:第?(?:{CN_ORD}|\d+))?(?:巡视|巡察)?第?(?:{CN_ORD}|\d+)?组)*"
     rf"|(?:中央|省委|市委|州委|县委|区委|旗委)(?:{CN_ORD}|\d+)个(?:巡视|巡察)组)",
     "an inspecting group: 市委第七巡察组, 七届市委第十二轮巡察一组, 巡察第三组, 第一巡察组、第六巡察组, a themed 专项巡察组",
     ("市委第七巡察组", "市委第一专项巡察组", "市委第七提级交叉巡察组", "市委机动巡察一组",
      "七届市委第十二轮巡察一组", "第二巡察组", "第一巡察组、第六巡察组", "省委第三巡视组", "区委4个巡察组",
      "七届县委第九轮巡察第三组", "区委文化旅游体育领域资金使用管理和安全生产专项巡察组",
      "市委深化“放管服”改革、优化营商环境专项巡察组"), ("巡察工作",))
add("inspector_lead", r"\G(?:\p{Han}*?(?:落实|就|根据|按照|贯彻))(?=(?:中央|省委|市委|州委|县委|区委|旗委|盟委|党委|学校党委|集团党委))",
     "a verb caught before an inspecting group's committee (就落实|县委第二巡察组)",
     ("现就落实县委第二巡察组", "落实县委第一巡察组"), ("县委第二巡察组", "七届县委第九轮巡察第三组"))
add("inspector_generic", r"^(?P<committee>中央|省委|市委|州委|县委|区委|旗委|盟委)?(?:巡视|巡察)组$",
     "a group named without number or theme (市委巡察组): a numbered group named later is preferred",
     ("市委巡察组", "巡察组"), ("市委第五巡察组",))
add("inspector_agency", r"(?P<body>(?:中央|省委|市委|州委|县委|区委|旗委|盟委)(?:巡视|巡察)机构)(?=[^。]{0,30}?对)",
     "an inspecting body named as the committee's inspection agency: 市委巡察机构对…开展了巡察",
     ("市委巡察机构对澜江市人民检察院党组开展了提级巡察",), ("区委巡察机构向区纪委监委移交问题线索9件",))
add("round_ordinal", rf"第(?:{CN_ORD}|\d+)轮", "the 第N轮 of a round", ("十五届县委第六轮",), ("第三组",))
add("round_committee_word", r"中央|省委|市委|州委|县委|区委|旗委|盟委|党委|党组", "the committee a round belongs to",
     ("七届市委第五轮",), ("七届第五轮",))
add("round_before_group", rf"(?:{CN_ORD}届)?(?:中央|省委|市委|州委|县委|区委|旗委)第(?:{CN_ORD}|\d+)轮(?:巡视|巡察)$",
     "a round written right before a bare group number: 十届区委第六轮巡察|第三巡察组",
     ("十届区委第六轮巡察",), ("区委巡察",))
add("inspector_anchor", rf"(?:巡视|巡察)第?(?:{CN_ORD}|\d+)?组",
     "where an inspecting group's name ends: the inspector pattern is run on a window before it",
     ("市委第七巡察组", "巡察一组"), ("巡察工作",),
     literals=("组",))
add("inspector_body",
     r"(?P<body>[\p{Han}]{2,12}?(?:党委|党组|委员会|纪委))(?:于[^,。]{0,30})?对(?P<unit>[^,。]{2,40}?)(?:党委|党组)?(?:开展|进行)了?[^,。]{0,8}?(?:巡视|巡察)",
     "an inspecting body without a group: 学校党委对…开展了巡察",
     ("学校党委对经济管理学院党委开展了巡察",), ())
add("unit_object",
     r"对(?P<unit>[^,。;:对]{2,60}?)(?:\([^)]{0,30}\))?(?:开展|进行|实施)了?[^,。]{0,12}?(?:巡视|巡察)",
     "the inspected unit as the object of 对…进行了巡察",
     ("对中共洛阳市委外事工作委员会办公室(以下简称市委外事办)进行了常规巡察",), ())
#: Organs a unit calls itself by: 我局 / 本院 / 院党委 / 集团党委.
SELF_ORGANS = r"(?:学院|医院|学校|分行|支行|中心|公司|集团|街道|单位|系统|局|委|校|院|办|部|厅|室|行|社|镇|乡|县|区|市|所|站|馆|会)"
PARTY_BODY = r"(?:党组|党委|党总支|党工委|党支部)"
add("self_reference", rf"\G(?:(?:我|本)(?P<organ>{SELF_ORGANS})|(?P<bare>{SELF_ORGANS}){PARTY_BODY}$)",
     "a unit named only by self-reference: 我局党组 / 本行党委, or by its bare organ: 院党委 / 集团党委",
     ("我局党组", "本单位", "本行党委", "院党委", "集团党委"), ("市委", "中共澜江市第一人民医院委员会", "外国语学院党委"))
add("self_mention", rf"(?:我|本)(?P<organ>{SELF_ORGANS})(?:{PARTY_BODY})?",
     "the text naming its unit by self-reference anywhere: 对我局党组 / 本院", ("对我局党组开展了巡察",), ("我们",))
add("round_committee",
     r"(?P<body>(?:中共)?(?:(?![的对于在按据署经由和与向将并了把以推进今年来届])\p{Han}){2,6}?(?:省委|市委|县委|区委|州委|旗委|盟委))"
     r"(?!巡察|巡视|\d|[一二三四五六七八九十两]+个|常委|书记|组织部|宣传部|办公室|办|副|统一|决策)",
     "the committee whose round a round summary reports, as the text names it: 鹿鸣区委坚持…",
     ("今年以来，泓山县委坚持把推动巡察整改", "鹿鸣区委坚持把巡察整改", "宁川县委第六轮巡察集中整改工作"),
     ("推动十五届县委第七轮巡察整改", "根据县委统一部署", "区委4个巡察组"))
add("inspection_office",
     r"(?P<body>(?:中共)?(?:(?![的对于在按据署经由和与向将并了把以从者])\p{Han}){0,8}?(?:省委|市委|县委|区委|州委|旗委)巡察(?:工作领导小组)?(?:办公室|办))",
     "the inspection office reporting a round: 县委巡察办", ("近日，县委巡察办对十五届县委第三轮巡察", "记者从县委巡察办获悉"), ("巡察工作",))
add("acting_body",
     rf"(?:^|(?<=[。;!?\n]))\s*(?P<body>(?:(?![的对于在按据署经由和与向将并了把以针])\p{{Han}}){{2,16}}?{PARTY_BODY})"
     r"(?!第|巡察|巡视|书记|委员|会议|成员|副|班子)",
     "a party body opening a sentence of the narrative (外国语学院党委修订完善…): the unit of an excerpt",
     ("压实责任。外国语学院党委修订完善《实施细则》",), ("针对学校党委第三巡察组反馈指出的",))
add("headline_topic", r"巡察|巡视|整改", "a headline about an inspection or rectification", ("巡察集中整改取得阶段性成效",), ("工作动态",))
add("headline_stop", r"[。,;:!?、]|^\s*(?:当前位置|首页)",
     "what a headline never holds: sentence punctuation", ("根据县委统一部署，",), ("巡察集中整改取得阶段性成效",))
add("unit_suffix",
     r"(?:党组|党委|党工委|委员会|党总支|党支部|局|委|办|办公室|院|校|大学|学院|医院|公司|集团|中心|厅|部|镇|乡|街道|所|站|馆|会)$",
     "the ending of an organisation's name", ("市卫健委党委", "中共XX县委办公室"), ("整改情况",))
add("title_line",
     r"(?:整改|巡视|巡察)[\p{Han}“”\"、]{0,30}?(?:情况|进展|工作)?[\p{Han}]{0,4}(?:的)?(?:通报|报告|公告|公示|情况|台账|清单|一览表)$",
     "a document title line (a ledger's title row too: …整改台账, …问题清单)",
     ("关于市委巡察整改进展情况的通报", "关于落实县委巡察反馈意见整改情况的报告",
      "中共青岚县财政局党组巡察反馈问题整改台账", "县委巡察反馈问题整改清单"),
     ("整改情况:已完成", "建立整改台账,明确责任"))
add("title_unit_prefix", r"\G(?P<unit>.{2,60}?)关于", "the unit before 关于 in a title",
     ("中共洛阳市委外事工作委员会办公室关于市委巡察整改进展情况的通报",), ("关于巡察整改情况的通报",))

# counts
add("count_items_problems",
     rf"(?P<items>{NUM})\s*(?:项|大项|条)\s*(?:问题\s*[、,]\s*(?:共\s*)?)?(?P<problems>{NUM})\s*(?:个|项|条)\s*(?:具体)?问题",
     "X项Y个(具体)问题: items and problems (or categories when 项 means 方面)",
     ("24项56个具体问题", "4项12个问题", "10项问题、22个具体问题"), ("24项任务",),
     literals=("问题",))
add("count_categories_problems",
     rf"问题\s*(?:共\s*)?(?P<cats>{NUM})\s*(?:类|个方面|大类)\s*(?P<problems>{NUM})\s*(?:个|项|条)",
     "共反馈问题3类18个: categories and problems", ("共反馈问题3类18个",), ("问题3个",),
     literals=("问题",))
add("count_categories",
     rf"(?:(?P<major>{NUM})\s*大类\s*)?(?P<n>{NUM})\s*(?:个方面|大方面|大类|类问题|个领域|个类别|方面(?=\s*共?\s*{NUM}))",
     "X个方面 / X大方面 / X大类 / 9类问题 (3大类11个方面: 3 major classes over 11 aspects)",
     ("七个方面", "3大类", "4个方面", "9类问题", "5方面14项问题", "3方面共7个问题", "3大类11个方面19个问题"), ("类似", "一方面"),
     literals=("方面", "大类", "类问题", "领域", "类别"))
add("count_problems",
     rf"(?P<n>{NUM})\s*(?:个|项|条)\s*(?:具体|反馈|共性|个性)?\s*问题|问题\s*共?\s*(?P<n2>{NUM})\s*(?:个|条|项)(?!\s*(?:已|完成|整改))",
     "X个问题 / X项具体问题 / 问题86条", ("56个具体问题", "39个问题", "问题86条", "12项问题", "反馈问题共7个"), ("问题线索",),
     literals=("问题",))
add("count_measures",
     rf"(?:整改|具体)措施\s*(?P<n>{NUM})\s*(?:项|条|个)|(?P<n2>{NUM})\s*(?:项|条|个)\s*(?:具体)?(?:整改)?措施",
     "整改措施74项 / 74项具体整改措施", ("制定了74项具体整改措施", "制定整改措施74项"), ("整改任务",),
     literals=("措施",))
add("count_tasks",
     rf"(?:整改任务|任务)\s*(?P<n>{NUM})\s*(?:项|个|条)|(?P<n2>{NUM})\s*(?:项|个|条)\s*(?:具体)?(?:整改任务|整改(?:落实)?责任清单)",
     "65项整改任务 / 整改任务65项", ("65项整改任务", "整改任务65项", "48项整改落实责任清单"), ("整改措施",),
     literals=("任务", "责任清单"))
add("count_tasks_completed",
     rf"(?:已完成|完成)\s*(?P<n>{NUM})\s*(?:项|个|条)(?=[^。;]{{0,6}}任务)|任务[^。;]{{0,10}}?(?:已完成|完成)\s*(?P<n2>{NUM})\s*(?:项|个|条)",
     "tasks completed: 整改任务已完成60项", ("整改任务65项，已完成60项",), (),
     literals=("完成",))
add("count_completed",
     rf"(?P<n>{NUM})\s*(?:个|项|条)\s*(?:具体)?(?:问题)?\s*(?:(?:已经|已|均已)\s*(?:全部)?|全部)\s*(?:完成整改|整改完成|整改到位|完成|整改销号|销号)(?![^,。;]{{0,4}}?\d)"
     rf"|(?:已完成整改|已经完成整改|已整改完成|已整改到位|整改完成|完成整改|已完成|已整改|已销号)(?:的)?(?:问题)?\s*(?P<n2>{NUM})\s*(?:个|项|条)"
     rf"|(?<![未本性分步])(?:已完成|完成)\s*(?P<n3>{NUM})\s*(?:个|项|条)(?=\s*(?:问题|具体问题|[,，。;、)]|$))",
     "problems completed: 53个具体问题已经完成整改 / 已完成整改53个 / 整改完成31个",
     ("53个具体问题已经完成整改", "已完成整改53个", "整改完成31个", "完成整改503个", "15个问题已完成整改13个",
      "6个问题已全部完成整改"), ("未完成2个", "按期完成2个教工党支部换届"),
     literals=("完成", "到位", "销号", "整改"))
add("count_in_progress",
     rf"(?<!完成\s*|完成整改\s*|整改完成\s*|已整改\s*|销号\s*|\d)(?P<n>{NUM})\s*(?:个|项|条)\s*(?:具体)?(?:问题)?(?:(?!完成|\d)[^。;,]){{0,14}}?(?:持续整改|正在整改|正在推进|正在按计划推进|按计划推进|正在有序推进|取得阶段性成效|阶段性完成|基本完成|持续推进|未完成|整改中)"
     rf"|(?:正在整改|持续整改|尚在整改|仍在整改|阶段性完成|基本完成|未完成|正在推进|整改中|持续推进)(?:的)?(?:问题)?\s*(?P<n2>{NUM})\s*(?:个|项|条)",
     "problems in progress: 3个问题取得阶段性成效并持续加强整改 / 阶段性完成5个 / 未完成2个",
     ("3个问题取得阶段性成效并持续加强整改", "阶段性完成5个", "未完成2个", "正在整改3个", "尚在整改2个",
      "其余16个问题正在按计划推进"), ("已完成53个", "7个问题已完成整改6个 持续整改", "已完成整改6个 持续整改"),
     literals=("整改", "推进", "阶段性", "完成"))
add("completion_rate",
     r"(?:完成率|整改率|销号率)\s*(?:为|达到|达)?\s*(?P<rate>\d{1,3}(?:\.\d+)?)\s*%"
     r"|占[^。;,]{0,14}?(?:总数|总量|全部)[^。;,]{0,4}?的?\s*(?P<rate2>\d{1,3}(?:\.\d+)?)\s*%",
     "the stated completion rate: 整改完成率94.6% / 占整改问题总数的95.12%",
     ("整改完成率94.6%", "总体完成率97.35%", "占整改问题总数的95.12%", "占全部整改任务的88%"), ("同比下降5.17%",),
     literals=("%",))
add("count_rules", rf"制度(?:机制|文件)?\s*(?P<n>{NUM})\s*(?:项|个|件|套|份|条)",
     "rules made or revised: 等制度7项 / 建立健全制度机制12项", ("等制度7项", "制度机制12项"), (),
     literals=("制度",))
add("count_clues", rf"(?:问题)?线索\s*(?P<n>{NUM})\s*(?:件|条|个)|(?P<n2>{NUM})\s*(?:件|条)\s*(?:问题)?线索",
     "problem clues: 问题线索2件 / 4件问题线索", ("收到移交问题线索2件", "移交的4件问题线索"), ("线索移交机制",),
     literals=("线索",))
add("count_people_handled", rf"组织处理[^\d。,;、]{{0,6}}?(?P<n>{NUM})\s*(?:人|名)|(?P<n2>{NUM})\s*(?:人|名)\s*(?:受到|给予|进行)?组织处理",
     "people given organisational handling: 组织处理2人", ("组织处理2人", "3人受到组织处理", "组织处理中层干部3人"), ("诫勉谈话4人",),
     literals=("组织处理",))
add("section_counts",
     rf"\(\s*(?:共\s*)?(?:(?P<items>{NUM})\s*(?:项|条)\s*)?(?:(?P<problems>{NUM})\s*(?:个|项|条)\s*(?:具体)?问题)?\s*\)\s*$",
     "the declared counts after a category title: (7项12个具体问题)",
     ("(7项12个具体问题)", "(共5个问题)", "(3项)"), ())

# --- context rules used by fields.py (small, but named and tested like the rest) ---
add("context_declared", r"反馈|指出|梳理|涉及|对照|发现|交办|存在|共|合计|总计|列出|归纳|提出",
     "words before a problem count that make it the declared total", ("对照巡察反馈的",), ("移交的",))
add("context_total", r"合计|总计|共计|累计|总体|以上|全部",
     "words that mark the overall figure after a per-category breakdown", ("以上合计",), ("其中",))
add("context_subset", r"移交|领办|其中|线索|另有|上轮|上一轮|上届|历次|此前|立行立改|专项整治",
     "words before a count that make it a subset or somebody else's problems",
     ("巡察移交的", "主动领办"), ("反馈的",))
add("context_task", r"任务|清单|台账", "a count or rate over tasks, not problems", ("整改任务",), ("问题",))
add("context_not_completion", r"同比|环比|增长|下降|提高|满意",
     "a percentage that is not a completion rate", ("同比下降",), ("整改完成率",))
add("context_rule_verb", r"制定|修订|建立|完善|出台|健全|修改|新建|印发",
     "verbs that make a 制度 count the rules made", ("制定修订",), ("执行",))
add("context_category_word", r"方面|大类", "a 项 count that is really a category count", ("4个方面",), ("4项",))
add("count_idiom", r"(?:完成|整改|办结|解决)一(?:项|个|件|条)[、,，]\s*(?:销号|办结|归档|清零|解决)一(?:项|个|件|条)",
     "the idiom 完成一项、销号一项 (each one done is struck off): not a count",
     ("完成一项、销号一项", "整改一项、销号一项"), ("已完成1项",))
add("count_specific_problems", rf"(?:具体问题|问题清单)\s*(?:共\s*)?(?P<n>{NUM})\s*(?:个|条|项)|(?P<n2>{NUM})\s*(?:个|条|项)\s*具体问题",
     "the specific problems a grouped count breaks into: 共形成具体问题17个 / 问题清单38条",
     ("共形成具体问题17个", "梳理形成问题清单38条", "56个具体问题"), ("问题4项",),
     literals=("问题",))
add("context_completed_after", r"\s*(?:已|均已|全部|完成|整改完成)",
     "a problem count followed by its completion (15个问题已完成整改…)", ("已完成",), ("正在",))
add("clause_break", r"[,。;]|(?<=\p{Han}) (?=\p{Han})",
     "where a clause ends (a space between characters stands for missing punctuation)", ("，", "反馈 并"), ("a b",))
add("sentence_break", r"[。;]", "where a sentence ends", ("。",), ("，",))
add("sentence_end", r"[。;!?…”)】]$|\.{3}$", "a text that ends a sentence (complete, not cut)", ("整改到位。", "（已完成）"), ("对全区68个住宅小区",))
add("sentence_or_clause", r"[。,;]", "running text rather than a signature or title line", ("根据县委统一部署，",), ("中共XX局党组",))
add("year_mention", r"((?:19|20)\d{2})\s*年", "a year", ("2023年",), ("123年",))
add("inspection_sentence", r"巡视|巡察|进驻", "a sentence about the inspection", ("进行了常规巡察",), ("反馈",))
add("whitespace", r"\s+", "whitespace (removed inside titles)", ("a b",), ("ab",))
add("page_title_site_suffix", r"[_|\-—]{1,2}(?=[^_|\-—]*(?:网|政府|门户|首页)[^_|\-—]*$)",
     "the site name a web page title ends with: 标题_XX市人民政府网", ("通报_云泽市人民政府网",), ("通报",))
add("unit_party_prefix", r"^中共|^中国共产党", "the party prefix of a unit's name", ("中共洛阳市委",), ("洛阳",))
add("unit_party_suffix", r"(?:机关)?(?:党组|党委|党工委|委员会|党总支)$", "the party-body suffix of a unit's name",
     ("卫健委党委", "财政局党组"), ("财政局",))
add("document_header_suffix", r"文件$", "a red header's 文件: 中共XX局党组文件 names the unit 中共XX局党组",
     ("中共平川县交通运输局党组文件",), ("中共平川县交通运输局党组",))
add("unit_alias", r"\s*\((?:以下|下)简称[^)]{0,20}\)",
     "an alias given after a unit's name: （以下简称市委政法委）", ("中共澜江市委政法委员会(以下简称市委政法委)",), ("(试行)",))
add("unit_inspector_prefix", r"^(?:中共)?[^,，。]{0,12}?(?:巡视|巡察)[^,，。]{0,6}?组",
     "an inspecting group's name caught before the unit in 对… (市委第七巡察组对…)", ("市委第七巡察组",), ("市委外事办",))
