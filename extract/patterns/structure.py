"""Patterns of a bulletin's structure: headings, field labels, measures, statuses, deadlines."""

from __future__ import annotations

from extract.patterns.registry import (
    AR_ORD,
    CN_DAY,
    CN_ORD,
    CN_YEAR,
    add,
    iso_re,
)

# --- headings (matched at the start of a paragraph) -------------------------------
add("heading_problem_label", rf"\G\s*问题\s*(?P<no>{AR_ORD}|{CN_ORD})\s*[:.、]?\s*",
     "问题1： / 问题一：, a problem entry numbered by the word 问题",
     ("问题1:领导班子", "问题 12:", "问题三:"), ("问题线索2件",))
add("heading_cn_dun", rf"\G\s*(?P<no>{CN_ORD})\s*[、.](?!是)\s*",
     "一、 a top-level heading (also 一. with a dot)",
     ("一、领导班子", "十二、", "三.下一步打算"), ("一是提升", "一方面"))
add("heading_cn_paren", rf"\G\s*\(\s*(?P<no>{CN_ORD})\s*\)\s*",
     "(一) / （一） a second-level heading", ("(一)政治建设", "( 二 )"), ("(1)",))
add("heading_ar_dot", rf"\G\s*(?P<no>{AR_ORD})\s*(?:\.(?!\d)|、|:(?!\d))\s*",
     "1. / 1、/ 1． a numbered entry (also 20： — how OCR often reads 20.)",
     ("1.学习", "24. 存在", "3、", "20:执行干部人事制度"), ("2024.5", "1.5万元", "12345", "12:30"))
add("heading_ar_paren", rf"\G\s*\(\s*(?P<no>{AR_ORD})\s*\)\s*",
     "(1) / （1） / (19) a numbered sub-entry", ("(19) 关于", "(1)加强"), ("(一)",))
add("heading_circled", r"\G\s*(?P<no>[①-⑳])\s*", "① a circled number", ("①加强",), ("1.",))
add("heading_bullet", r"\G\s*[•●▪■◆·]\s*", "• a bullet", ("•加强", "● 完善"), ("一是",))

#: Heading rules in precedence order (first match wins), as (rule name, heading type).
add("heading_bracket_problem", rf"\G\s*[【\[]\s*问题\s*(?P<no>{AR_ORD}|{CN_ORD})\s*[】\]]\s*",
     "【问题1】 a problem entry marked in square brackets", ("【问题1】医保", "[问题12]"), ("【整改情况】",))

HEADING_RULES: tuple[tuple[str, str], ...] = (
    ("heading_bracket_problem", "problem"),
    ("heading_problem_label", "problem"),
    ("heading_cn_paren", "cn_paren"),
    ("heading_ar_paren", "ar_paren"),
    ("heading_cn_dun", "cn_dun"),
    ("heading_ar_dot", "ar_dot"),
    ("heading_circled", "circled"),
)
#: The characters each heading rule can start with (after spaces): a paragraph is
#: tried only against the rules its first character allows (tests check the examples).
HEADING_FIRST_CHARS: dict[str, str] = {
    "heading_bracket_problem": "【[",
    "heading_problem_label": "问",
    "heading_cn_paren": "(",
    "heading_ar_paren": "(",
    "heading_cn_dun": "一二三四五六七八九十",
    "heading_ar_dot": "0123456789",
    "heading_circled": "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳",
}

#: Inline split points: a heading marker after a sentence end in a flattened text.
add("inline_heading",
     rf"(?<=[。;:!?]|。”|\s)\s*(?=(?:{CN_ORD}、(?!是)|\({CN_ORD}\)|{AR_ORD}\.(?!\d)|\({AR_ORD}\)|问题{AR_ORD}\s*[:.、]))",
     "where a flattened bulletin starts a new heading mid-paragraph",
     ("如下: 一、领导", "问题。2.学习", "坚持。(二)履职"), ("2024.5",))

# --- labels (a paragraph or clause that starts with a field label) ----------------
STATUS_LABELS = r"(?:整改情况|整改状态|完成情况|整改进展|整改进度|整改结果|进展情况|落实情况)"
#: What a rectification achieved (整改成效：全年交办…已销号211个): neither a status nor a measure.
RESULT_LABELS = r"(?:整改成效|取得成效|整改效果|工作成效)"
DEADLINE_LABELS = r"(?:承诺完成时限|整改完成时限|完成时限|整改时限|整改期限|完成期限|时限要求|完成时间|整改时间)"
MEASURE_LABELS = r"(?:整改措施|主要措施|具体措施|整改举措|采取措施|整改目标)"
LEADER_LABELS = r"(?:责任领导|牵头领导|分管领导|责任人)"
UNIT_LABELS = r"(?:责任单位|责任部门|责任股室|责任科室|牵头单位|牵头部门|配合单位|责任处室)"
ALL_LABELS = rf"{STATUS_LABELS}|{DEADLINE_LABELS}|{MEASURE_LABELS}|{LEADER_LABELS}|{UNIT_LABELS}|{RESULT_LABELS}"
add("label", rf"\G\s*\**(?:【\s*(?P<label>{ALL_LABELS})\s*】\s*:?|(?P<label>{ALL_LABELS})\s*\**\s*[:])\s*",
     "a field label at a paragraph start: 整改情况： 完成时限： 责任单位：",
     ("整改情况:已完成", "承诺完成时限:2024年12月", "责任单位: 办公室", "整改状态:完成", "【整改情况】已完成"),
     ("整改情况通报如下",))
add("inline_label", rf"(?<=[。;!?]|。”)\s*(?=(?:{ALL_LABELS})\s*:|【\s*(?:{ALL_LABELS})\s*】)",
     "a field label after a sentence end inside a paragraph",
     ("不扎实。整改情况:已完成",), ("整改情况:已完成",))
LABEL_KINDS = (("results", RESULT_LABELS), ("status", STATUS_LABELS), ("deadline", DEADLINE_LABELS), ("measures", MEASURE_LABELS),
               ("leader", LEADER_LABELS), ("unit", UNIT_LABELS))

add("category_title", r"(?:方面|领域)(?:的?(?:突出|主要|存在的)?问题)?\s*$",
     "a category's title: …方面 / …领域 / …方面的问题 (its own text may list problems as prose)",
     ("党的政治建设方面的问题", "落实全面从严治党主体责任方面"), ("对科研经费使用、实验室采购等重点领域监督不够有力",))
#: A heading stating a problem (used when no status marks the items).
add("problem_heading",
     r"问题(?!导向|清单|整改)|不够|不到位|不严|不高|不足|不强|不规范|不充分|不紧密|不明显|不及时|不力|不深|不实|不全|不细|不准|不精准"
     r"|缺失|缺位|缺乏|滞后|薄弱|偏差|短板|漏洞|差距|亟待|有待|欠缺|流于形式|走过场|不落实|未落实|未执行|未按|未及时|虚化|弱化|淡化|宽松软",
     "a heading that states a problem: 关于…的问题 / 学习贯彻…不够深入",
     ("关于城镇老旧小区改造项目推进缓慢的问题", "学习贯彻党的二十大精神不够深入", "耕地保护责任落实不到位"),
     ("坚持问题导向，逐条逐项推进整改落实", "整改工作组织开展情况", "强化责任担当"))
add("action_heading",
     r"\G\s*(?:坚持|强化|加强|提高|提升|聚焦|压实|健全|完善|推动|推进|深化|抓好|狠抓|扎实|全面|突出|注重|严格|持续|建立|落实|夯实|"
     r"优化|着力|切实|统筹|筑牢|把牢|紧盯|围绕|立足|以|从|在)",
     "a heading that names an action taken, not a problem: 坚持问题导向… / 强化责任担当",
     ("坚持问题导向，逐条逐项推进整改落实", "强化整改责任，补齐工作短板"), ("关于物业服务企业监管不到位的问题",))

# --- measures -----------------------------------------------------------------
add("closing_remarks",
     r"\G\s*(?:下一步|下步|今后|接下来|综上|总之|总的来看|总体来看|欢迎广大|欢迎社会|特此(?:通报|报告)|以上|如有意见|联系电话|联系方式|邮政信箱|电子邮箱|附件[:：\d]|抄送)",
     "a paragraph that closes the document (下一步…, 欢迎…监督, 联系电话): it ends the last item",
     ("下一步，村党支部将", "欢迎广大干部群众", "联系电话:0796"), ("一是加强",))
add("enumeration", rf"(?:(?<=^|[。;:,!?、\s”])|(?<=\*\*))(?P<label>{CN_ORD}是|第{CN_ORD}(?=[,，]))",
     "一是 / 二是 … (or 第一，) opening a rectification measure",
     ("。二是加强", "一是提升"), ("统一是", "唯一是"))

add("sentence_stop", r"[。;!?]", "where a heading's title ends (outside quotes: see quote_open)",
     ("政治建设方面。", "问题;"), ("政治建设方面,",))
add("quote_open", r"[“《(]", "an opening quote or bracket: a sentence stop after it may be quoted",
     ("落实“三重一大”", "《条例》", "(试行)"), ("落实三重一大",))
add("han_basic", r"[\u4e00-\u9fff]", "a character of the basic CJK block (counted: is a text long enough to be a measure?)",
     ("加强",), ("2024", "、"))
add("inline_number_break", r"[。;: ,]",
     "a break after which an inline number may open a measure (…；2.完善…): where to try the rules",
     ("加强。", "加强;", "措施:"), ("加强", "、"))

# --- statuses (on the status phrase) -------------------------------------------------
add("status_in_progress",
     r"持续整改|正在整改|整改中|持续推进|推进中|未完成|尚未完成|延期|未整改|未销号|长期整改|逐步整改|分步整改|持续加强整改|正在推进|正在进行|还在",
     "a status saying the work is not finished",
     ("持续整改中，并已取得阶段成效", "正在整改", "申请延期整改"), ("已完成整改",))
add("status_partial", r"基本完成|阶段性完成|部分完成|初步完成|基本整改到位|基本到位",
     "a status saying the work is partly done (wins over 持续整改 in 基本完成，持续整改)",
     ("基本完成，持续整改", "阶段性完成"), ("已完成",))
add("status_partial_progress", r"取得阶段性?成效|取得初步成效|取得明显成效",
     "progress made, without saying finished or still in progress (持续整改中 wins over it)",
     ("取得阶段性成效",), ("已完成",))
add("status_completed",
     r"(?<!未|没有|尚未|基本|阶段性|部分|初步)(?:已完成|己完成|完成整改|已整改|己整改|整改完成|整改到位|已销号|销号|立行立改|已落实|已解决|完成)",
     "a status saying the work is done (己 is a common typo for 已)",
     ("已完成整改，并长期坚持", "整改状态:完成", "已整改销号", "立行立改并将长期坚持", "己完成整改"),
     ("未完成", "基本完成"))
add("long_term", r"长期坚持|长期推进|常态化|长期执行|长期抓好|久久为功|持续坚持",
     "the work continues long-term", ("并长期坚持", "常态化推进"), ("长期以来",))
#: A status phrase standing alone without a label (立行立改并将长期坚持 / 已整改销号).
add("status_phrase_start",
     r"\G(?:已完成整改|己完成整改|已整改到位|已整改销号|整改完成|已完成|立行立改|持续整改中|正在整改|基本完成|阶段性完成|申请延期整改|已销号)[^。;]{0,30}",
     "a paragraph opening with a status phrase", ("已整改销号。", "立行立改并将长期坚持"), ("加强学习",))

#: A status in brackets: at the start of a title (4.（已完成）机关财务…) or closing an item (…。（持续推进）).
STATUS_WORDS = (r"已完成整改|已整改到位|已整改|已完成|完成|已销号|立行立改|持续整改中|持续整改|持续推进|正在整改|整改中"
                r"|基本完成|阶段性完成|部分完成|未完成|长期坚持")
add("status_bracket_start", rf"\G\s*[(【\[]\s*(?P<phrase>{STATUS_WORDS})\s*[)】\]]\s*",
     "a status in brackets opening a title: （已完成） / 【持续整改】", ("(已完成)机关财务", "【持续整改】工程"),
     ("(一)政治建设",))
add("status_bracket_end", rf"[(【\[]\s*(?P<phrase>{STATUS_WORDS})\s*[)】\]]\s*[。;]?\s*$",
     "a status in brackets closing an item: …取得实效。（已完成）", ("推进有力。(已完成)", "(持续推进)"),
     ("(试行)",))
#: A status closing an item's text without a label: 目前，该问题已整改完成。
add("status_sentence",
     r"(?:(?:目前|截至目前|当前|现)[,，]?)?(?:该|此|上述|这一|这个)(?:项)?(?:问题|整改事项|事项)[^。;\d]{0,10}?"
     r"(?P<phrase>已(?:经)?(?:全部)?(?:基本完成整改|基本完成|完成整改|整改完成|整改到位|整改销号|销号|办结|完成)|已整改完成"
     r"|正在(?:持续)?(?:整改|推进)[^。;,]{0,8}|持续整改中|仍在整改中?|基本完成[^。;,]{0,6}|阶段性完成)(?=[。;,]|$|并)",
     "a status stated at the end of an item: 目前，该问题已整改完成 / 该问题正在整改",
     ("目前，该问题已整改完成。", "该问题正在整改。", "此项问题已完成整改，并"),
     ("完成了培训", "目前已完成6家市级医院接入", "16个具体问题已完成整改13个"))

# --- deadlines ----------------------------------------------------------------
add("deadline_long_term", r"长期(?:坚持|推进|执行|整改)?|常态化|持续推进", "a deadline that is not a date",
     ("长期坚持", "常态化"), ("2024年",))
add("deadline_date",
     rf"(?P<y>{CN_YEAR})\s*年\s*(?:(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月\s*(?:(?P<d>{CN_DAY})\s*[日号])?|(?P<yearend>底|末|年底))?(?P<part>上旬|中旬|下旬|底|末|初)?",
     "a deadline date: 2024年12月, 2024年12月底, 2025年6月30日前, 2024年底前, 二〇二六年六月三十日前",
     ("2024年12月", "2024年12月底", "2025年6月30日前", "2024年底前", "二〇二六年六月三十日前"), ("12月",))
add("deadline_iso", rf"{iso_re('')}", "a dotted deadline: 2025.12.31", ("2025.12.31前",), ("2025年",))
add("deadline_inline", r"(?:于|在|力争|确保|预计|计划)?(?P<date>(?:19|20)\d{2}\s*年[^。;,]{0,8}?(?:底|末|\d\s*[日号]|月)(?:\s*前)?)\s*(?:全面)?(?:完成|整改到位|办结|销号)",
     "a deadline inside a status sentence: 计划2024年12月底前完成",
     ("计划2024年12月底前完成", "力争2025年6月30日前完成整改"), ("2023年完成了",))
