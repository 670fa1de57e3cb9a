"""Named patterns: every regular expression the parser uses, in one table.

Each :class:`Pattern` has a name, a docstring-like ``doc``, and examples it
must match (and counter-examples it must not); ``tests/test_patterns.py``
checks every entry. Patterns run on the width-folded ``match`` text of
:mod:`extract.normalize`, so they spell brackets, colons and commas half-width
(``(一)``, ``:``, ``,``) while ``。、“”`` stay full-width.

Look a pattern up with :func:`P`.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

# --- building blocks (strings, composed into patterns below) --------------------

#: A count: Arabic digits or a Chinese numeral.
NUM = r"(?:\d+|[零〇两一二三四五六七八九十百千]+)"
#: A small ordinal as used in headings.
CN_ORD = r"[一二三四五六七八九十]{1,3}"
#: Heading numbers: Arabic 1–3 digits.
AR_ORD = r"\d{1,3}"
#: Noun for a problem.
PROBLEM_NOUN = r"(?:具体问题|问题)"
#: A date: [year年] month月 [day日|号] [旬/底/初]. Month may be a Chinese numeral.
#: A year in digits or in Chinese numerals (二〇二四); a day in digits or numerals (十四, 三十一).
CN_YEAR = r"(?:19|20)\d{2}|[一二][〇○零一二三四五六七八九]{3}"
CN_DAY = r"[0-3]?\d|[一二]?十[一二三四五六七八九]?|三十[一]?|[一二三四五六七八九]"
_DATE_TMPL = (r"(?:(?P<{p}y>" + CN_YEAR.replace("{", "{{").replace("}", "}}") + r")\s*年\s*)?"
              r"(?P<{p}m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?"
              r"(?:\s*(?P<{p}d>" + CN_DAY.replace("{", "{{").replace("}", "}}") + r")\s*[日号])?"
              r"(?P<{p}part>上旬|中旬|下旬|初|中|底|末)?")
_ISO_TMPL = r"(?P<{p}y>(?:19|20)\d{{2}})\s*[-./]\s*(?P<{p}m>1[0-2]|0?[1-9])\s*[-./]\s*(?P<{p}d>[0-3]?\d)(?!\d)"
#: Lost separators (PDF extraction): 2023912日 = 2023-09-12, 1025日 = 10-25.
_LOST_TMPL = r"(?P<{p}y>(?:19|20)\d{{2}})?(?P<{p}m>1[0-2]|0?[1-9])(?P<{p}d>[12]\d|3[01]|0?[1-9])日"
RANGE_SEP = r"\s*(?:至|到|—{1,2}|-{1,2}|–|~|～)\s*(?:次年|翌年)?"


def date_re(prefix: str) -> str:
    return _DATE_TMPL.format(p=prefix)


def iso_re(prefix: str) -> str:
    return _ISO_TMPL.format(p=prefix)


def lost_re(prefix: str) -> str:
    return _LOST_TMPL.format(p=prefix)


@dataclass(frozen=True)
class Pattern:
    name: str
    source: str
    doc: str
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    flags: int = 0
    #: Words one of which every match contains (checked by the tests over the corpus):
    #: a paragraph without any of them is skipped without running the expression.
    literals: tuple[str, ...] = ()

    @property
    def regex(self) -> regex.Pattern[str]:
        return _compiled(self)


_CACHE: dict[str, regex.Pattern[str]] = {}


def _compiled(p: Pattern) -> regex.Pattern[str]:
    r = _CACHE.get(p.name)
    if r is None:
        r = _CACHE[p.name] = regex.compile(p.source, p.flags | regex.V0)
    return r


PATTERNS: dict[str, Pattern] = {}


def _add(name: str, source: str, doc: str, examples: tuple[str, ...] = (),
         counter_examples: tuple[str, ...] = (), flags: int = 0,
         literals: tuple[str, ...] = ()) -> None:
    assert name not in PATTERNS, name
    PATTERNS[name] = Pattern(name, source, doc, examples, counter_examples, flags, literals)


def P(name: str) -> regex.Pattern[str]:
    """The compiled pattern called ``name``."""
    r = _CACHE.get(name)
    return r if r is not None else PATTERNS[name].regex


# --- headings (matched at the start of a paragraph) -------------------------------
_add("heading_problem_label", rf"\G\s*问题\s*(?P<no>{AR_ORD}|{CN_ORD})\s*[:.、]?\s*",
     "问题1： / 问题一：, a problem entry numbered by the word 问题",
     ("问题1:领导班子", "问题 12:", "问题三:"), ("问题线索2件",))
_add("heading_cn_dun", rf"\G\s*(?P<no>{CN_ORD})\s*[、.](?!是)\s*",
     "一、 a top-level heading (also 一. with a dot)",
     ("一、领导班子", "十二、", "三.下一步打算"), ("一是提升", "一方面"))
_add("heading_cn_paren", rf"\G\s*\(\s*(?P<no>{CN_ORD})\s*\)\s*",
     "(一) / （一） a second-level heading", ("(一)政治建设", "( 二 )"), ("(1)",))
_add("heading_ar_dot", rf"\G\s*(?P<no>{AR_ORD})\s*(?:\.(?!\d)|、|:(?!\d))\s*",
     "1. / 1、/ 1． a numbered entry (also 20： — how OCR often reads 20.)",
     ("1.学习", "24. 存在", "3、", "20:执行干部人事制度"), ("2024.5", "1.5万元", "12345", "12:30"))
_add("heading_ar_paren", rf"\G\s*\(\s*(?P<no>{AR_ORD})\s*\)\s*",
     "(1) / （1） / (19) a numbered sub-entry", ("(19) 关于", "(1)加强"), ("(一)",))
_add("heading_circled", r"\G\s*(?P<no>[①-⑳])\s*", "① a circled number", ("①加强",), ("1.",))
_add("heading_bullet", r"\G\s*[•●▪■◆·]\s*", "• a bullet", ("•加强", "● 完善"), ("一是",))

#: Heading rules in precedence order (first match wins), as (rule name, heading type).
_add("heading_bracket_problem", rf"\G\s*[【\[]\s*问题\s*(?P<no>{AR_ORD}|{CN_ORD})\s*[】\]]\s*",
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
_add("inline_heading",
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
_add("label", rf"\G\s*\**(?:【\s*(?P<label>{ALL_LABELS})\s*】\s*:?|(?P<label>{ALL_LABELS})\s*\**\s*[:])\s*",
     "a field label at a paragraph start: 整改情况： 完成时限： 责任单位：",
     ("整改情况:已完成", "承诺完成时限:2024年12月", "责任单位: 办公室", "整改状态:完成", "【整改情况】已完成"),
     ("整改情况通报如下",))
_add("inline_label", rf"(?<=[。;!?]|。”)\s*(?=(?:{ALL_LABELS})\s*:|【\s*(?:{ALL_LABELS})\s*】)",
     "a field label after a sentence end inside a paragraph",
     ("不扎实。整改情况:已完成",), ("整改情况:已完成",))
LABEL_KINDS = (("results", RESULT_LABELS), ("status", STATUS_LABELS), ("deadline", DEADLINE_LABELS), ("measures", MEASURE_LABELS),
               ("leader", LEADER_LABELS), ("unit", UNIT_LABELS))

_add("category_title", r"(?:方面|领域)(?:的?(?:突出|主要|存在的)?问题)?\s*$",
     "a category's title: …方面 / …领域 / …方面的问题 (its own text may list problems as prose)",
     ("党的政治建设方面的问题", "落实全面从严治党主体责任方面"), ("对科研经费使用、实验室采购等重点领域监督不够有力",))
#: A heading stating a problem (used when no status marks the items).
_add("problem_heading",
     r"问题(?!导向|清单|整改)|不够|不到位|不严|不高|不足|不强|不规范|不充分|不紧密|不明显|不及时|不力|不深|不实|不全|不细|不准|不精准"
     r"|缺失|缺位|缺乏|滞后|薄弱|偏差|短板|漏洞|差距|亟待|有待|欠缺|流于形式|走过场|不落实|未落实|未执行|未按|未及时|虚化|弱化|淡化|宽松软",
     "a heading that states a problem: 关于…的问题 / 学习贯彻…不够深入",
     ("关于城镇老旧小区改造项目推进缓慢的问题", "学习贯彻党的二十大精神不够深入", "耕地保护责任落实不到位"),
     ("坚持问题导向，逐条逐项推进整改落实", "整改工作组织开展情况", "强化责任担当"))
_add("action_heading",
     r"\G\s*(?:坚持|强化|加强|提高|提升|聚焦|压实|健全|完善|推动|推进|深化|抓好|狠抓|扎实|全面|突出|注重|严格|持续|建立|落实|夯实|"
     r"优化|着力|切实|统筹|筑牢|把牢|紧盯|围绕|立足|以|从|在)",
     "a heading that names an action taken, not a problem: 坚持问题导向… / 强化责任担当",
     ("坚持问题导向，逐条逐项推进整改落实", "强化整改责任，补齐工作短板"), ("关于物业服务企业监管不到位的问题",))

# --- measures -----------------------------------------------------------------
_add("closing_remarks",
     r"\G\s*(?:下一步|下步|今后|接下来|综上|总之|总的来看|总体来看|欢迎广大|欢迎社会|特此(?:通报|报告)|以上|如有意见|联系电话|联系方式|邮政信箱|电子邮箱|附件[:：\d]|抄送)",
     "a paragraph that closes the document (下一步…, 欢迎…监督, 联系电话): it ends the last item",
     ("下一步，村党支部将", "欢迎广大干部群众", "联系电话:0796"), ("一是加强",))
_add("enumeration", rf"(?:(?<=^|[。;:,!?、\s”])|(?<=\*\*))(?P<label>{CN_ORD}是|第{CN_ORD}(?=[,，]))",
     "一是 / 二是 … (or 第一，) opening a rectification measure",
     ("。二是加强", "一是提升"), ("统一是", "唯一是"))

_add("sentence_stop", r"[。;!?]", "where a heading's title ends (outside quotes: see quote_open)",
     ("政治建设方面。", "问题;"), ("政治建设方面,",))
_add("quote_open", r"[“《(]", "an opening quote or bracket: a sentence stop after it may be quoted",
     ("落实“三重一大”", "《条例》", "(试行)"), ("落实三重一大",))
_add("han_basic", r"[\u4e00-\u9fff]", "a character of the basic CJK block (counted: is a text long enough to be a measure?)",
     ("加强",), ("2024", "、"))
_add("inline_number_break", r"[。;: ,]",
     "a break after which an inline number may open a measure (…；2.完善…): where to try the rules",
     ("加强。", "加强;", "措施:"), ("加强", "、"))

# --- statuses (on the status phrase) -------------------------------------------------
_add("status_in_progress",
     r"持续整改|正在整改|整改中|持续推进|推进中|未完成|尚未完成|延期|未整改|未销号|长期整改|逐步整改|分步整改|持续加强整改|正在推进|正在进行|还在",
     "a status saying the work is not finished",
     ("持续整改中，并已取得阶段成效", "正在整改", "申请延期整改"), ("已完成整改",))
_add("status_partial", r"基本完成|阶段性完成|部分完成|初步完成|基本整改到位|基本到位",
     "a status saying the work is partly done (wins over 持续整改 in 基本完成，持续整改)",
     ("基本完成，持续整改", "阶段性完成"), ("已完成",))
_add("status_partial_progress", r"取得阶段性?成效|取得初步成效|取得明显成效",
     "progress made, without saying finished or still in progress (持续整改中 wins over it)",
     ("取得阶段性成效",), ("已完成",))
_add("status_completed",
     r"(?<!未|没有|尚未|基本|阶段性|部分|初步)(?:已完成|己完成|完成整改|已整改|己整改|整改完成|整改到位|已销号|销号|立行立改|已落实|已解决|完成)",
     "a status saying the work is done (己 is a common typo for 已)",
     ("已完成整改，并长期坚持", "整改状态:完成", "已整改销号", "立行立改并将长期坚持", "己完成整改"),
     ("未完成", "基本完成"))
_add("long_term", r"长期坚持|长期推进|常态化|长期执行|长期抓好|久久为功|持续坚持",
     "the work continues long-term", ("并长期坚持", "常态化推进"), ("长期以来",))
#: A status phrase standing alone without a label (立行立改并将长期坚持 / 已整改销号).
_add("status_phrase_start",
     r"\G(?:已完成整改|己完成整改|已整改到位|已整改销号|整改完成|已完成|立行立改|持续整改中|正在整改|基本完成|阶段性完成|申请延期整改|已销号)[^。;]{0,30}",
     "a paragraph opening with a status phrase", ("已整改销号。", "立行立改并将长期坚持"), ("加强学习",))

#: A status in brackets: at the start of a title (4.（已完成）机关财务…) or closing an item (…。（持续推进）).
STATUS_WORDS = (r"已完成整改|已整改到位|已整改|已完成|完成|已销号|立行立改|持续整改中|持续整改|持续推进|正在整改|整改中"
                r"|基本完成|阶段性完成|部分完成|未完成|长期坚持")
_add("status_bracket_start", rf"\G\s*[(【\[]\s*(?P<phrase>{STATUS_WORDS})\s*[)】\]]\s*",
     "a status in brackets opening a title: （已完成） / 【持续整改】", ("(已完成)机关财务", "【持续整改】工程"),
     ("(一)政治建设",))
_add("status_bracket_end", rf"[(【\[]\s*(?P<phrase>{STATUS_WORDS})\s*[)】\]]\s*[。;]?\s*$",
     "a status in brackets closing an item: …取得实效。（已完成）", ("推进有力。(已完成)", "(持续推进)"),
     ("(试行)",))
#: A status closing an item's text without a label: 目前，该问题已整改完成。
_add("status_sentence",
     r"(?:(?:目前|截至目前|当前|现)[,，]?)?(?:该|此|上述|这一|这个)(?:项)?(?:问题|整改事项|事项)[^。;\d]{0,10}?"
     r"(?P<phrase>已(?:经)?(?:全部)?(?:基本完成整改|基本完成|完成整改|整改完成|整改到位|整改销号|销号|办结|完成)|已整改完成"
     r"|正在(?:持续)?(?:整改|推进)[^。;,]{0,8}|持续整改中|仍在整改中?|基本完成[^。;,]{0,6}|阶段性完成)(?=[。;,]|$|并)",
     "a status stated at the end of an item: 目前，该问题已整改完成 / 该问题正在整改",
     ("目前，该问题已整改完成。", "该问题正在整改。", "此项问题已完成整改，并"),
     ("完成了培训", "目前已完成6家市级医院接入", "16个具体问题已完成整改13个"))

# --- deadlines ----------------------------------------------------------------
_add("deadline_long_term", r"长期(?:坚持|推进|执行|整改)?|常态化|持续推进", "a deadline that is not a date",
     ("长期坚持", "常态化"), ("2024年",))
_add("deadline_date",
     rf"(?P<y>{CN_YEAR})\s*年\s*(?:(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月\s*(?:(?P<d>{CN_DAY})\s*[日号])?|(?P<yearend>底|末|年底))?(?P<part>上旬|中旬|下旬|底|末|初)?",
     "a deadline date: 2024年12月, 2024年12月底, 2025年6月30日前, 2024年底前, 二〇二六年六月三十日前",
     ("2024年12月", "2024年12月底", "2025年6月30日前", "2024年底前", "二〇二六年六月三十日前"), ("12月",))
_add("deadline_iso", rf"{iso_re('')}", "a dotted deadline: 2025.12.31", ("2025.12.31前",), ("2025年",))
_add("deadline_inline", r"(?:于|在|力争|确保|预计|计划)?(?P<date>(?:19|20)\d{2}\s*年[^。;,]{0,8}?(?:底|末|\d\s*[日号]|月)(?:\s*前)?)\s*(?:全面)?(?:完成|整改到位|办结|销号)",
     "a deadline inside a status sentence: 计划2024年12月底前完成",
     ("计划2024年12月底前完成", "力争2025年6月30日前完成整改"), ("2023年完成了",))

# --- document-level fields -------------------------------------------------------
_add("date", date_re(""), "a date: 2023年7月17日, 11月3日, 2021年9月, 3月下旬",
     ("2023年7月17日", "11月3日", "2021年9月", "3月下旬", "十月"), ())
_add("date_iso", iso_re(""), "an ISO-like date: 2024-11-08, 2024.11.08, 2024/11/08",
     ("2024-11-08", "2024.1.8"), ("2024-13-08",))
_add("date_range",
     rf"(?:{date_re('s')}){RANGE_SEP}(?:{date_re('e')}|(?P<eday>[0-3]?\d)\s*日)",
     "a date range; the end may omit year and month",
     ("2023年7月17日至8月31日", "2021年4月6日至2021年6月3日", "3月下旬至5月底", "2021年5月至6月",
      "2023年9月1日—10月25日", "2023年9月1日——10月25日", "2023年9月1日-10月25日", "7月17日至31日",
      "2023年11月20日至次年1月"),
     ("2023年7月17日，",))
_add("date_range_iso", rf"{iso_re('s')}{RANGE_SEP}{iso_re('e')}",
     "a range of dotted or dashed dates: 2024.3.14-2024.5.20", ("2024.3.14-2024.5.20", "2024-03-14至2024-05-20"), ())
_add("date_range_lost_separators", rf"{lost_re('s')}{RANGE_SEP}{lost_re('e')}",
     "a range whose 年/月 were lost in extraction: 2023912日至1025日",
     ("2023912日至1025日",), ("2023年9月12日至10月25日",))
_add("inspection_verb", r"巡视|巡察|进驻|开展了|进行了", "a sentence about the inspection itself",
     ("进行了常规巡察",), ())
_add("feedback", r"反馈", "a sentence about the feedback of findings", ("进行了意见反馈",), ())
_add("as_of", rf"截[至止]到?\s*(?:(?P<now>目前|现在|当前|今年)|(?:{date_re('')})|(?:{iso_re('i')}))",
     "the date the progress figures refer to: 截至2024年9月30日 / 截止目前",
     ("截止2024年4月20日", "截至3月15日", "截止目前", "截至2024-09-30"), ("截止时间",),
     literals=("截",))
_add("publish_stamp", rf"(?:发布|发表|成文|印发|公开|更新)(?:日期|时间)\s*[:]?\s*(?:{iso_re('i')}|{date_re('')})",
     "a page stamp: 发布日期：2024-11-08 / 成文日期：2024年5月10日",
     ("发布日期:2024-11-08", "成文日期:2024年5月10日", "发布时间:2024-06-12 09:15:02"), (),
     literals=("日期", "时间"))
_add("timestamp_line", rf"\G\s*{iso_re('')}\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*$",
     "a page timestamp line: 2024-06-12 09:15:02", ("2024-06-12 09:15:02",), ("2024-06-12 会议",))
_add("signature_date_line", r"\G\s*(?:(?P<y>(?:19|20)\d{2})|(?P<cy>[〇○零一二三四五六七八九]{4}))\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*$",
     "a line holding only a date: the signature date at the end",
     ("2024年5月10日", "二〇二四年五月十日"), ("2024年5月10日召开",))

_add("dateline", rf"\G\s*[(（]\s*{date_re('')}\s*[)）]\s*$",
     "a date in brackets under the title: （2024年4月26日）", ("(2024年4月26日)",), ("(2024年4月26日召开)",))
_add("signature_date_iso_line", rf"\G\s*{iso_re('')}\s*$", "a signature date written with dots: 2025.3.6",
     ("2025.3.6",), ("2025.3.6 会议",))
_add("signature_date_tail", r"(?:。|\s)\s*[^。,;]{2,40}?(?:党组|党委|党工委|委员会|局|办公室|政府|公司|集团|医院|学校|学院|大学|中心|镇|乡|街道|\s)\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*$",
     "a signature and date closing a flattened text", ("长效机制。 中共云泽市自然资源和规划局党组 2024年10月12日",), ("2024年10月12日召开会议",))

# inspection kind, type, inspector, round
_add("inspection_kind", r"巡视|巡察", "巡视 (central/provincial) or 巡察 (city/county)", ("巡察",), ())
_add("inspection_type",
     r"(?P<type>常规|专项|机动|提级|联动|交叉|延伸|回头看|点穴式|嵌入式)(?:交叉|联动)?(?:\s*[“\"]?回头看[”\"]?)?\s*(?:巡视|巡察)|(?P<rht>[“\"]?回头看[”\"]?)",
     "the type of inspection as stated: 常规巡察, 专项巡视, 提级交叉巡察, 回头看",
     ("进行了常规巡察", "专项巡视", "提级交叉巡察", "“回头看”"), ("巡察",))
_add("round",
     rf"(?P<round>(?:{CN_ORD}届)?(?:(?:(?![的对于在按照据根署经由和与向将并日月年了展是届])\p{{Han}}){{0,6}}?"
     rf"(?:中央|省委|市委|州委|县委|区委|旗委|盟委|党委|党组))?第(?:{CN_ORD}|\d+)轮)",
     "the inspection round, with the body that runs it: 十二届省委第七轮 / 总行党委第一轮 / 十三届学校党委第三轮",
     ("十二届省委第七轮", "七届市委第十二轮", "第三轮", "总行党委第一轮", "十三届学校党委第三轮"), ("第三组",),
     literals=("轮",))
#: (the run before 党委/市委 stops at function characters: 按照七届市委… gives 七届市委…)
_add("inspector",
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
_add("inspector_lead", r"\G(?:\p{Han}*?(?:落实|就|根据|按照|贯彻))(?=(?:中央|省委|市委|州委|县委|区委|旗委|盟委|党委|学校党委|集团党委))",
     "a verb caught before an inspecting group's committee (就落实|县委第二巡察组)",
     ("现就落实县委第二巡察组", "落实县委第一巡察组"), ("县委第二巡察组", "七届县委第九轮巡察第三组"))
_add("inspector_generic", r"^(?P<committee>中央|省委|市委|州委|县委|区委|旗委|盟委)?(?:巡视|巡察)组$",
     "a group named without number or theme (市委巡察组): a numbered group named later is preferred",
     ("市委巡察组", "巡察组"), ("市委第五巡察组",))
_add("inspector_agency", r"(?P<body>(?:中央|省委|市委|州委|县委|区委|旗委|盟委)(?:巡视|巡察)机构)(?=[^。]{0,30}?对)",
     "an inspecting body named as the committee's inspection agency: 市委巡察机构对…开展了巡察",
     ("市委巡察机构对澜江市人民检察院党组开展了提级巡察",), ("区委巡察机构向区纪委监委移交问题线索9件",))
_add("round_ordinal", rf"第(?:{CN_ORD}|\d+)轮", "the 第N轮 of a round", ("十五届县委第六轮",), ("第三组",))
_add("round_committee_word", r"中央|省委|市委|州委|县委|区委|旗委|盟委|党委|党组", "the committee a round belongs to",
     ("七届市委第五轮",), ("七届第五轮",))
_add("round_before_group", rf"(?:{CN_ORD}届)?(?:中央|省委|市委|州委|县委|区委|旗委)第(?:{CN_ORD}|\d+)轮(?:巡视|巡察)$",
     "a round written right before a bare group number: 十届区委第六轮巡察|第三巡察组",
     ("十届区委第六轮巡察",), ("区委巡察",))
_add("inspector_anchor", rf"(?:巡视|巡察)第?(?:{CN_ORD}|\d+)?组",
     "where an inspecting group's name ends: the inspector pattern is run on a window before it",
     ("市委第七巡察组", "巡察一组"), ("巡察工作",),
     literals=("组",))
_add("inspector_body",
     r"(?P<body>[\p{Han}]{2,12}?(?:党委|党组|委员会|纪委))(?:于[^,。]{0,30})?对(?P<unit>[^,。]{2,40}?)(?:党委|党组)?(?:开展|进行)了?[^,。]{0,8}?(?:巡视|巡察)",
     "an inspecting body without a group: 学校党委对…开展了巡察",
     ("学校党委对经济管理学院党委开展了巡察",), ())
_add("unit_object",
     r"对(?P<unit>[^,。;:对]{2,60}?)(?:\([^)]{0,30}\))?(?:开展|进行|实施)了?[^,。]{0,12}?(?:巡视|巡察)",
     "the inspected unit as the object of 对…进行了巡察",
     ("对中共洛阳市委外事工作委员会办公室(以下简称市委外事办)进行了常规巡察",), ())
#: Organs a unit calls itself by: 我局 / 本院 / 院党委 / 集团党委.
SELF_ORGANS = r"(?:学院|医院|学校|分行|支行|中心|公司|集团|街道|单位|系统|局|委|校|院|办|部|厅|室|行|社|镇|乡|县|区|市|所|站|馆|会)"
PARTY_BODY = r"(?:党组|党委|党总支|党工委|党支部)"
_add("self_reference", rf"\G(?:(?:我|本)(?P<organ>{SELF_ORGANS})|(?P<bare>{SELF_ORGANS}){PARTY_BODY}$)",
     "a unit named only by self-reference: 我局党组 / 本行党委, or by its bare organ: 院党委 / 集团党委",
     ("我局党组", "本单位", "本行党委", "院党委", "集团党委"), ("市委", "中共澜江市第一人民医院委员会", "外国语学院党委"))
_add("self_mention", rf"(?:我|本)(?P<organ>{SELF_ORGANS})(?:{PARTY_BODY})?",
     "the text naming its unit by self-reference anywhere: 对我局党组 / 本院", ("对我局党组开展了巡察",), ("我们",))
_add("round_committee",
     r"(?P<body>(?:中共)?(?:(?![的对于在按据署经由和与向将并了把以推进今年来届])\p{Han}){2,6}?(?:省委|市委|县委|区委|州委|旗委|盟委))"
     r"(?!巡察|巡视|\d|[一二三四五六七八九十两]+个|常委|书记|组织部|宣传部|办公室|办|副|统一|决策)",
     "the committee whose round a round summary reports, as the text names it: 鹿鸣区委坚持…",
     ("今年以来，泓山县委坚持把推动巡察整改", "鹿鸣区委坚持把巡察整改", "宁川县委第六轮巡察集中整改工作"),
     ("推动十五届县委第七轮巡察整改", "根据县委统一部署", "区委4个巡察组"))
_add("inspection_office",
     r"(?P<body>(?:中共)?(?:(?![的对于在按据署经由和与向将并了把以从者])\p{Han}){0,8}?(?:省委|市委|县委|区委|州委|旗委)巡察(?:工作领导小组)?(?:办公室|办))",
     "the inspection office reporting a round: 县委巡察办", ("近日，县委巡察办对十五届县委第三轮巡察", "记者从县委巡察办获悉"), ("巡察工作",))
_add("acting_body",
     rf"(?:^|(?<=[。;!?\n]))\s*(?P<body>(?:(?![的对于在按据署经由和与向将并了把以针])\p{{Han}}){{2,16}}?{PARTY_BODY})"
     r"(?!第|巡察|巡视|书记|委员|会议|成员|副|班子)",
     "a party body opening a sentence of the narrative (外国语学院党委修订完善…): the unit of an excerpt",
     ("压实责任。外国语学院党委修订完善《实施细则》",), ("针对学校党委第三巡察组反馈指出的",))
_add("headline_topic", r"巡察|巡视|整改", "a headline about an inspection or rectification", ("巡察集中整改取得阶段性成效",), ("工作动态",))
_add("headline_stop", r"[。,;:!?、]|^\s*(?:当前位置|首页)",
     "what a headline never holds: sentence punctuation", ("根据县委统一部署，",), ("巡察集中整改取得阶段性成效",))
_add("unit_suffix",
     r"(?:党组|党委|党工委|委员会|党总支|党支部|局|委|办|办公室|院|校|大学|学院|医院|公司|集团|中心|厅|部|镇|乡|街道|所|站|馆|会)$",
     "the ending of an organisation's name", ("市卫健委党委", "中共XX县委办公室"), ("整改情况",))
_add("title_line",
     r"(?:整改|巡视|巡察)[\p{Han}“”\"、]{0,30}?(?:情况|进展|工作)?[\p{Han}]{0,4}(?:的)?(?:通报|报告|公告|公示|情况|台账|清单|一览表)$",
     "a document title line (a ledger's title row too: …整改台账, …问题清单)",
     ("关于市委巡察整改进展情况的通报", "关于落实县委巡察反馈意见整改情况的报告",
      "中共青岚县财政局党组巡察反馈问题整改台账", "县委巡察反馈问题整改清单"),
     ("整改情况:已完成", "建立整改台账,明确责任"))
_add("title_unit_prefix", r"\G(?P<unit>.{2,60}?)关于", "the unit before 关于 in a title",
     ("中共洛阳市委外事工作委员会办公室关于市委巡察整改进展情况的通报",), ("关于巡察整改情况的通报",))

# counts
_add("count_items_problems",
     rf"(?P<items>{NUM})\s*(?:项|大项|条)\s*(?:问题\s*[、,]\s*(?:共\s*)?)?(?P<problems>{NUM})\s*(?:个|项|条)\s*(?:具体)?问题",
     "X项Y个(具体)问题: items and problems (or categories when 项 means 方面)",
     ("24项56个具体问题", "4项12个问题", "10项问题、22个具体问题"), ("24项任务",),
     literals=("问题",))
_add("count_categories_problems",
     rf"问题\s*(?:共\s*)?(?P<cats>{NUM})\s*(?:类|个方面|大类)\s*(?P<problems>{NUM})\s*(?:个|项|条)",
     "共反馈问题3类18个: categories and problems", ("共反馈问题3类18个",), ("问题3个",),
     literals=("问题",))
_add("count_categories",
     rf"(?:(?P<major>{NUM})\s*大类\s*)?(?P<n>{NUM})\s*(?:个方面|大方面|大类|类问题|个领域|个类别|方面(?=\s*共?\s*{NUM}))",
     "X个方面 / X大方面 / X大类 / 9类问题 (3大类11个方面: 3 major classes over 11 aspects)",
     ("七个方面", "3大类", "4个方面", "9类问题", "5方面14项问题", "3方面共7个问题", "3大类11个方面19个问题"), ("类似", "一方面"),
     literals=("方面", "大类", "类问题", "领域", "类别"))
_add("count_problems",
     rf"(?P<n>{NUM})\s*(?:个|项|条)\s*(?:具体|反馈|共性|个性)?\s*问题|问题\s*共?\s*(?P<n2>{NUM})\s*(?:个|条|项)(?!\s*(?:已|完成|整改))",
     "X个问题 / X项具体问题 / 问题86条", ("56个具体问题", "39个问题", "问题86条", "12项问题", "反馈问题共7个"), ("问题线索",),
     literals=("问题",))
_add("count_measures",
     rf"(?:整改|具体)措施\s*(?P<n>{NUM})\s*(?:项|条|个)|(?P<n2>{NUM})\s*(?:项|条|个)\s*(?:具体)?(?:整改)?措施",
     "整改措施74项 / 74项具体整改措施", ("制定了74项具体整改措施", "制定整改措施74项"), ("整改任务",),
     literals=("措施",))
_add("count_tasks",
     rf"(?:整改任务|任务)\s*(?P<n>{NUM})\s*(?:项|个|条)|(?P<n2>{NUM})\s*(?:项|个|条)\s*(?:具体)?(?:整改任务|整改(?:落实)?责任清单)",
     "65项整改任务 / 整改任务65项", ("65项整改任务", "整改任务65项", "48项整改落实责任清单"), ("整改措施",),
     literals=("任务", "责任清单"))
_add("count_tasks_completed",
     rf"(?:已完成|完成)\s*(?P<n>{NUM})\s*(?:项|个|条)(?=[^。;]{{0,6}}任务)|任务[^。;]{{0,10}}?(?:已完成|完成)\s*(?P<n2>{NUM})\s*(?:项|个|条)",
     "tasks completed: 整改任务已完成60项", ("整改任务65项，已完成60项",), (),
     literals=("完成",))
_add("count_completed",
     rf"(?P<n>{NUM})\s*(?:个|项|条)\s*(?:具体)?(?:问题)?\s*(?:(?:已经|已|均已)\s*(?:全部)?|全部)\s*(?:完成整改|整改完成|整改到位|完成|整改销号|销号)(?![^,。;]{{0,4}}?\d)"
     rf"|(?:已完成整改|已经完成整改|已整改完成|已整改到位|整改完成|完成整改|已完成|已整改|已销号)(?:的)?(?:问题)?\s*(?P<n2>{NUM})\s*(?:个|项|条)"
     rf"|(?<![未本性分步])(?:已完成|完成)\s*(?P<n3>{NUM})\s*(?:个|项|条)(?=\s*(?:问题|具体问题|[,，。;、)]|$))",
     "problems completed: 53个具体问题已经完成整改 / 已完成整改53个 / 整改完成31个",
     ("53个具体问题已经完成整改", "已完成整改53个", "整改完成31个", "完成整改503个", "15个问题已完成整改13个",
      "6个问题已全部完成整改"), ("未完成2个", "按期完成2个教工党支部换届"),
     literals=("完成", "到位", "销号", "整改"))
_add("count_in_progress",
     rf"(?<!完成\s*|完成整改\s*|整改完成\s*|已整改\s*|销号\s*|\d)(?P<n>{NUM})\s*(?:个|项|条)\s*(?:具体)?(?:问题)?(?:(?!完成|\d)[^。;,]){{0,14}}?(?:持续整改|正在整改|正在推进|正在按计划推进|按计划推进|正在有序推进|取得阶段性成效|阶段性完成|基本完成|持续推进|未完成|整改中)"
     rf"|(?:正在整改|持续整改|尚在整改|仍在整改|阶段性完成|基本完成|未完成|正在推进|整改中|持续推进)(?:的)?(?:问题)?\s*(?P<n2>{NUM})\s*(?:个|项|条)",
     "problems in progress: 3个问题取得阶段性成效并持续加强整改 / 阶段性完成5个 / 未完成2个",
     ("3个问题取得阶段性成效并持续加强整改", "阶段性完成5个", "未完成2个", "正在整改3个", "尚在整改2个",
      "其余16个问题正在按计划推进"), ("已完成53个", "7个问题已完成整改6个 持续整改", "已完成整改6个 持续整改"),
     literals=("整改", "推进", "阶段性", "完成"))
_add("completion_rate",
     r"(?:完成率|整改率|销号率)\s*(?:为|达到|达)?\s*(?P<rate>\d{1,3}(?:\.\d+)?)\s*%"
     r"|占[^。;,]{0,14}?(?:总数|总量|全部)[^。;,]{0,4}?的?\s*(?P<rate2>\d{1,3}(?:\.\d+)?)\s*%",
     "the stated completion rate: 整改完成率94.6% / 占整改问题总数的95.12%",
     ("整改完成率94.6%", "总体完成率97.35%", "占整改问题总数的95.12%", "占全部整改任务的88%"), ("同比下降5.17%",),
     literals=("%",))
_add("count_rules", rf"制度(?:机制|文件)?\s*(?P<n>{NUM})\s*(?:项|个|件|套|份|条)",
     "rules made or revised: 等制度7项 / 建立健全制度机制12项", ("等制度7项", "制度机制12项"), (),
     literals=("制度",))
_add("count_clues", rf"(?:问题)?线索\s*(?P<n>{NUM})\s*(?:件|条|个)|(?P<n2>{NUM})\s*(?:件|条)\s*(?:问题)?线索",
     "problem clues: 问题线索2件 / 4件问题线索", ("收到移交问题线索2件", "移交的4件问题线索"), ("线索移交机制",),
     literals=("线索",))
_add("count_people_handled", rf"组织处理[^\d。,;、]{{0,6}}?(?P<n>{NUM})\s*(?:人|名)|(?P<n2>{NUM})\s*(?:人|名)\s*(?:受到|给予|进行)?组织处理",
     "people given organisational handling: 组织处理2人", ("组织处理2人", "3人受到组织处理", "组织处理中层干部3人"), ("诫勉谈话4人",),
     literals=("组织处理",))
_add("section_counts",
     rf"\(\s*(?:共\s*)?(?:(?P<items>{NUM})\s*(?:项|条)\s*)?(?:(?P<problems>{NUM})\s*(?:个|项|条)\s*(?:具体)?问题)?\s*\)\s*$",
     "the declared counts after a category title: (7项12个具体问题)",
     ("(7项12个具体问题)", "(共5个问题)", "(3项)"), ())

# --- document type signals (extract/doctype.py weighs them) ----------------------------
#: Words naming the unit itself in its own voice: 我局 / 本院 / 我校党委.
SELF = r"(?:我|本)(?:局|委|院|校|办|部|厅|室|中心|公司|集团|行|社|镇|乡|街道|县|区|市|单位|所|站|馆|会|系统)"
#: Publishing verbs of a self-report: 予以公布 / 通报如下 / 公告如下 / 进行公开.
PUBLISH_VERB = (r"(?:予以|进行|作|现予)(?:公布|公开|公示|通报|公告)|(?:通报|报告|公布|公示|公告|公开)如下"
                r"|(?:向社会|向全社会)(?:公布|公开)|公布于后")
_add("signal_self_report",
     rf"现[将就][^。]{{0,40}}?(?:整改|巡视|巡察)[^。]{{0,30}}?(?:情况|进展|结果|工作)[^。]{{0,12}}?(?:{PUBLISH_VERB})"
     rf"|(?:整改|巡视|巡察)[^。]{{0,40}}?现将(?:有关|相关|具体)?(?:情况|进展情况|进展)[^。]{{0,6}}?(?:{PUBLISH_VERB})"
     rf"|(?:将|把|对)[^。]{{0,30}}?整改[^。]{{0,24}}?(?:情况|进展)[^。]{{0,6}}?(?:{PUBLISH_VERB})"
     rf"|整改[^。]{{0,16}}?(?:情况|进展)(?:通报|报告|公布|公示|公告|公开)如下",
     "a unit publishing its own rectification: 现将巡察整改情况予以公布 / …整改进展情况通报如下",
     ("现将巡察整改进展情况予以公布", "现将整改进展情况通报如下", "现将我公司巡察整改进展情况予以公布",
      "按照巡察整改工作要求，现将有关情况通报如下", "现将集中整改进展情况予以公开", "现将巡察整改情况公告如下",
      "对巡察整改进展情况进行公开", "现就落实县委第二巡察组反馈意见整改情况予以公布"),
     ("现将巡察发现的主要问题反馈如下", "现将信访举报受理情况公告如下", "现将有关事项公告如下",
      "现将5起典型问题通报如下", "现将全年工作总结如下", "整改进展情况按规定向社会公开前"))
_add("signal_unit_voice",
     rf"对{SELF}(?:党组|党委|党工委|党总支|领导班子)?[^。]{{0,24}}?(?:开展|进行|实施)了?[^。]{{0,12}}?(?:巡视|巡察)"
     rf"|向{SELF}(?:党组|党委|党工委|党总支|领导班子)?[^。]{{0,20}}?反馈"
     rf"|{SELF}(?:党组|党委|党工委|党总支|领导班子)?[^。]{{0,8}}?(?:高度重视|坚持|始终|把|将|认真|切实|立即|迅速|全面|扎实|对照)[^。]{{0,40}}?整改",
     "the unit speaking of itself: 对我局党组开展了巡察 / 向我院反馈了意见 / 我局高度重视巡察整改",
     ("对我局党组开展了常规巡察", "向我院党委反馈了巡察意见", "我局党组高度重视巡察整改工作", "本行党委坚持把巡察整改作为"),
     ("对县交通运输局党组开展了常规巡察", "局党组书记表示，将抓好整改"))
_add("signal_title",
     r"(?:巡视|巡察)[^。]{0,44}?整改[^。]{0,16}?(?:情况|进展)[^。]{0,6}?(?:的)?(?:通报|报告|公告|公示)$"
     r"|整改(?:落实|工作|集中)?(?:进展)?情况(?:的)?(?:通报|报告|公告|公示)$"
     r"|(?:巡视|巡察)[^。]{0,40}?(?:整改(?:工作|落实)?台账|问题(?:整改)?清单)(?:\(.{0,20}\))?$",
     "a title naming a rectification report or ledger: …关于…巡察整改进展情况的通报 / …巡察反馈问题整改台账",
     ("中共洛阳市委外事工作委员会办公室关于市委巡察整改进展情况的通报", "关于落实县委巡察反馈意见整改情况的报告",
      "关于巡视集中整改进展情况的通报", "关于巡察整改情况的公告", "中共XX县财政局党组巡察反馈问题整改台账"),
     ("中共清源县农业农村局党组关于县委巡察反馈意见整改工作方案", "关于5起巡察整改不力及违反中央八项规定精神典型问题的通报",
      "关于召开县委巡察反馈意见整改工作部署会的通知"))
_add("signal_progress",
     r"整改(?:进展|落实|完成)?情况(?:的)?(?:通报|报告|公告|公示)|整改进展|整改工作(?:开展)?情况|集中整改|整改完成率|完成整改|已完成整改"
     r"|整改落实|整改工作领导小组|整改方案|整改台账|整改任务|整改措施|整改事项|整改成果|整改成效|销号|立行立改|真改实改|举一反三"
     r"|针对[^。]{0,30}?反馈[^。]{0,30}?问题|(?:巩固|深化)[^。]{0,6}?整改",
     "words of a rectification report (its own narrative): 整改工作开展情况 / 集中整改 / 整改台账 / 针对…反馈的…问题",
     ("整改进展情况的通报", "一、整改工作开展情况", "建立问题整改台账", "针对巡察组反馈指出的“课程思政融入不够”等问题"),
     ("抓好整改",))
_add("signal_roll_up",
     rf"(?:被巡察|被巡视)(?:党组织|单位)|对(?P<n>{NUM})(?:个|家)(?:[\p{{Han}}]{{0,8}}?)(?:党组织|单位|部门|乡镇|村)|(?:各|{NUM}个)(?:巡察|巡视)组|本轮(?:巡察|巡视)|这轮巡察|该轮巡察",
     "a roll-up over many units: 被巡察党组织 / 对12个党组织 / 区委4个巡察组 / 本轮巡察",
     ("被巡察党组织", "对12个党组织", "本轮巡察", "区委4个巡察组", "对23个市直单位党组织"), ("对县财政局党组",))
_add("signal_news",
     r"反馈会上|召开[^。]{0,24}?反馈会|反馈会(?:召开|举行)|(?<!整改)动员会|进驻(?!期间)|表态发言|主持(?:会议|会议并)|出席(?:会议)?并讲话|作动员讲话|"
     r"作了动员讲话|督导检查|督查检查|专项督查|督导组|督查组|检查组|抽查组|随机抽查|四不两直|督办函|(?:启动|开展|部署)[^。]{0,16}?回头看|抽查"
     r"|(?:^|\n)(?:\d{1,2}月\d{1,2}日|近日|日前)[,，][^。\n]{0,40}?(?:召开|举行)[^。\n]{0,30}?会|会上[,，]|会前[,，]|会议(?:强调|指出|要求)|到会指导",
     "third-person news of an inspection's launch, a feedback meeting, a meeting, a supervision visit or a spot check",
     ("反馈会上，组长指出", "召开巡察反馈会", "巡察组进驻县卫生健康局", "作表态发言", "督查检查组共抽查整改问题20个",
      "9月25日，局党组召开巡察整改专题民主生活会", "会上，局党组书记代表领导班子作对照检查"),
     ("召开巡察整改动员部署会", "局党组坚持立行立改"))
_add("signal_notice",
     r"举报电话|值班电话|来信来电来访|信访举报|受理[^。]{0,10}?(?:来信|信访|举报)|受理时间|截止时间|举报信箱|联系邮箱|电子邮箱|"
     r"现将有关事项(?:公告|通知)如下|会议时间|会议地点|参会人员",
     "an inspection's arrival notice, a petition tally or a meeting notice",
     ("设立专门值班电话和邮政信箱", "受理来信来电来访", "现将有关事项公告如下", "一、会议时间"),
     ("联系电话:0797-6128315",))
_add("signal_other_genre",
     r"(?:整改|工作)方案$|制定本方案|工作总结|总结如下|反馈如下|(?:巡察|巡视)[^。]{0,10}?情况的反馈意见|典型问题|(?:的)?通知$",
     "another genre: a rectification plan, a work summary, feedback findings, typical cases, a notice",
     ("制定本方案", "2024年度巡察工作总结", "现将巡察发现的主要问题反馈如下", "5起典型问题的通报"),
     ("整改进展情况的通报",))

# --- context rules used by fields.py (small, but named and tested like the rest) ---
_add("context_declared", r"反馈|指出|梳理|涉及|对照|发现|交办|存在|共|合计|总计|列出|归纳|提出",
     "words before a problem count that make it the declared total", ("对照巡察反馈的",), ("移交的",))
_add("context_total", r"合计|总计|共计|累计|总体|以上|全部",
     "words that mark the overall figure after a per-category breakdown", ("以上合计",), ("其中",))
_add("context_subset", r"移交|领办|其中|线索|另有|上轮|上一轮|上届|历次|此前|立行立改|专项整治",
     "words before a count that make it a subset or somebody else's problems",
     ("巡察移交的", "主动领办"), ("反馈的",))
_add("context_task", r"任务|清单|台账", "a count or rate over tasks, not problems", ("整改任务",), ("问题",))
_add("context_not_completion", r"同比|环比|增长|下降|提高|满意",
     "a percentage that is not a completion rate", ("同比下降",), ("整改完成率",))
_add("context_rule_verb", r"制定|修订|建立|完善|出台|健全|修改|新建|印发",
     "verbs that make a 制度 count the rules made", ("制定修订",), ("执行",))
_add("context_category_word", r"方面|大类", "a 项 count that is really a category count", ("4个方面",), ("4项",))
_add("count_idiom", r"(?:完成|整改|办结|解决)一(?:项|个|件|条)[、,，]\s*(?:销号|办结|归档|清零|解决)一(?:项|个|件|条)",
     "the idiom 完成一项、销号一项 (each one done is struck off): not a count",
     ("完成一项、销号一项", "整改一项、销号一项"), ("已完成1项",))
_add("count_specific_problems", rf"(?:具体问题|问题清单)\s*(?:共\s*)?(?P<n>{NUM})\s*(?:个|条|项)|(?P<n2>{NUM})\s*(?:个|条|项)\s*具体问题",
     "the specific problems a grouped count breaks into: 共形成具体问题17个 / 问题清单38条",
     ("共形成具体问题17个", "梳理形成问题清单38条", "56个具体问题"), ("问题4项",),
     literals=("问题",))
_add("context_completed_after", r"\s*(?:已|均已|全部|完成|整改完成)",
     "a problem count followed by its completion (15个问题已完成整改…)", ("已完成",), ("正在",))
_add("clause_break", r"[,。;]|(?<=\p{Han}) (?=\p{Han})",
     "where a clause ends (a space between characters stands for missing punctuation)", ("，", "反馈 并"), ("a b",))
_add("sentence_break", r"[。;]", "where a sentence ends", ("。",), ("，",))
_add("sentence_end", r"[。;!?…”)】]$|\.{3}$", "a text that ends a sentence (complete, not cut)", ("整改到位。", "（已完成）"), ("对全区68个住宅小区",))
_add("sentence_or_clause", r"[。,;]", "running text rather than a signature or title line", ("根据县委统一部署，",), ("中共XX局党组",))
_add("year_mention", r"((?:19|20)\d{2})\s*年", "a year", ("2023年",), ("123年",))
_add("inspection_sentence", r"巡视|巡察|进驻", "a sentence about the inspection", ("进行了常规巡察",), ("反馈",))
_add("whitespace", r"\s+", "whitespace (removed inside titles)", ("a b",), ("ab",))
_add("page_title_site_suffix", r"[_|\-—]{1,2}(?=[^_|\-—]*(?:网|政府|门户|首页)[^_|\-—]*$)",
     "the site name a web page title ends with: 标题_XX市人民政府网", ("通报_云泽市人民政府网",), ("通报",))
_add("unit_party_prefix", r"^中共|^中国共产党", "the party prefix of a unit's name", ("中共洛阳市委",), ("洛阳",))
_add("unit_party_suffix", r"(?:机关)?(?:党组|党委|党工委|委员会|党总支)$", "the party-body suffix of a unit's name",
     ("卫健委党委", "财政局党组"), ("财政局",))
_add("document_header_suffix", r"文件$", "a red header's 文件: 中共XX局党组文件 names the unit 中共XX局党组",
     ("中共平川县交通运输局党组文件",), ("中共平川县交通运输局党组",))
_add("unit_alias", r"\s*\((?:以下|下)简称[^)]{0,20}\)",
     "an alias given after a unit's name: （以下简称市委政法委）", ("中共澜江市委政法委员会(以下简称市委政法委)",), ("(试行)",))
_add("unit_inspector_prefix", r"^(?:中共)?[^,，。]{0,12}?(?:巡视|巡察)[^,，。]{0,6}?组",
     "an inspecting group's name caught before the unit in 对… (市委第七巡察组对…)", ("市委第七巡察组",), ("市委外事办",))

# --- web page chrome (lines around a bulletin copied from a site; see extract/chrome.py) ----
#: Labels of a government site's disclosure block (政府信息公开 metadata table).
DISCLOSURE_LABELS = (r"信息索引号|索引号|发布机构|发文机关|发文单位|发文机构|成文日期|发文日期|发布日期|生成日期|公开日期"
                     r"|文号|发文字号|主题分类|主题词|体裁分类|公开方式|公开范围|公开时限|公开类别|公开形式|有效性|时效性"
                     r"|文件名称|信息名称|标题|所属机构|组配分类|信息类别|关键词|分类")
#: Labels of an article stamp line (source, author, date, counters).
STAMP_LABELS = (r"来源|信息来源|文章来源|稿件来源|作者|撰稿|撰稿人|供稿|编辑|责任编辑|编审|审核|审稿|初审|复审|终审|发布者"
                r"|发布人|摄影|发布时间|发表时间|更新时间|时间|日期|浏览量|浏览次数|阅读量|阅读次数|点击数|点击量|点击率|访问量|访问次数|字号")
_add("chrome_breadcrumb",
     r"^\s*(?:当前位置|您的位置|你的位置|您现在的位置|所在位置|当前的位置|位置)\s*[:>]|^\s*首页\s*(?:>|›|»|/|>>)",
     "a breadcrumb line: 当前位置：首页 > 巡察工作 > 整改公示",
     ("当前位置:首页 > 巡察工作 > 整改公示", "您的位置:首页>>工作动态", "首页 > 新闻中心 > 集团要闻"),
     ("现将位置调整情况通报如下",))
_add("chrome_disclosure", rf"^\s*【?(?:{DISCLOSURE_LABELS})】?\s*(?::|\|)",
     "a line of a disclosure block: 信息索引号：… 发布机构：… 成文日期：… 文件名称：…",
     ("信息索引号:11341523MB0J7X2Q5A/2025-01267 发布机构:县委巡察办", "文件名称:中共XX局党组关于巡察整改情况的通报",
      "成文日期:2025-06-20", "【发布机构】:县纪委", "索引号 | 11341523MB0J7X2Q5A/2025-01267 | 发布机构 | 县委巡察办"),
     ("根据县委统一部署，", "标题党问题"))
_add("chrome_stamp", rf"^\s*(?:{STAMP_LABELS})\s*:|^\s*{iso_re('t')}(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*(?:{STAMP_LABELS})\s*:",
     "an article stamp line: 来源：XX 发布时间：2024-06-12 浏览次数：356",
     ("来源:平川县纪委监委 发布时间:2025-03-18 10:20 浏览次数:356", "作者:李明 审核:王芳 点击数:1234",
      "发布时间:2024-11-08 09:15:02", "2025-02-18 16:40:11 来源:省委巡视办 【字体:大 中 小】"),
     ("时间紧、任务重，", "来源于群众"))
_add("chrome_label_value", rf"(?P<label>{DISCLOSURE_LABELS}|{STAMP_LABELS})\s*(?::|\|)\s*(?P<value>.*?)\s*\|?\s*(?=(?:{DISCLOSURE_LABELS}|{STAMP_LABELS})\s*(?::|\|)|$)",
     "one label：value pair of a disclosure or stamp line (several share a line)",
     ("发布机构:县委巡察办 成文日期:2025-06-20", "发布机构 | 县委巡察办 | 成文日期 | 2025-06-20"), ("根据县委统一部署",))
_add("chrome_widget",
     r"字[号体]\s*:?\s*[【\[]?\s*大|^\s*[【\[]?\s*(?:打印本页|打印|关闭窗口|关闭|收藏|加入收藏|返回顶部|返回|朗读|语音播报|听全文|视力保护色|纠错)\s*[】\]]?\s*$"
     r"|分享到|^\s*分享\s*:?|^\s*(?:微信|手机|用手机)?扫一扫|^\s*扫码|打印本页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】|无障碍|长者模式|适老化"
     r"|^\s*(?:阅读|在看|点赞|写留言|留言|赞赏|喜欢此内容的人还喜欢|分享|推荐)\s*(?:\d+|\d+万|\d+\.\d+万)?\s*$"
     r"|预览时标签不可点|继续滑动看下一个|向上滑动看下一个|轻触阅读原文|微信扫一扫|关注该公众号|阅读原文\s*$",
     "a page widget: 字号：大 中 小, 分享到, 【打印本页】【关闭窗口】, 朗读, 阅读 1234, 微信扫一扫关注",
     ("字号:大 中 小", "分享到:", "【打印本页】【关闭窗口】", "朗读", "阅读 1234", "微信扫一扫关注该公众号", "【打印】"),
     ("一是加强分享机制", "打印机采购不规范问题"))
_add("chrome_footer",
     r"网站标识码|ICP\s*备|ICP证|公网安备|版权所有|Copyright|©|^\s*(?:主办单位|承办单位|主办|承办|协办|技术支持|网站地图|联系我们|设为首页)\s*:?",
     "a site footer line: 主办单位：XX 网站标识码：…  ICP备…",
     ("主办单位:平川县纪委监委 网站标识码:3611000012", "赣ICP备12345678号", "版权所有 © 2024"),
     ("主要负责同志",))
_add("chrome_url", r"^\s*(?:https?://|www\.)\S+\s*$", "a bare web address on a line of its own",
     ("http://www.example.gov.cn/art/2024/6/12/art_1.html", "www.pcjw.gov.cn"), ("网址见附件",))
_add("chrome_related",
     r"^\s*[【\[]?\s*(?:相关链接|相关文章|相关阅读|相关新闻|相关信息|相关稿件|推荐阅读|热点推荐|热点文章|延伸阅读|往期回顾|往期推荐|精彩推荐|上一篇|下一篇|上一条|下一条|上一页|下一页)\s*[】\]]?\s*(?::|$)",
     "a related-articles marker: what follows is a list of other pages",
     ("相关链接", "上一篇:关于…的通报", "【相关阅读】", "往期回顾"), ("相关部门要切实抓好整改",))
_WECHAT_DATE = r"(?P<y>(?:19|20)\d{2})\s*[-年]\s*(?P<m>\d{1,2})\s*[-月]\s*(?P<d>\d{1,2})\s*日?"
_add("chrome_wechat",
     rf"^\s*原创\s*(?:\S{{2,24}}?\s*){{1,2}}?{_WECHAT_DATE}(?:\s*\d{{1,2}}:\d{{2}})?(?:\s*(?:发表于)?\s*\p{{Han}}{{2,8}})?\s*$"
     rf"|^\s*(?:\S{{2,24}}?\s*){{1,2}}?{_WECHAT_DATE}\s*(?:\d{{1,2}}:\d{{2}}(?:\s*(?:发表于)?\s*\p{{Han}}{{2,8}})?|发表于\s*\S{{1,8}})\s*$",
     "a WeChat article header: 原创 清风平川 2024-06-12 09:15 发表于江西 (a time or 发表于, never a signature)",
     ("原创 清风平川 2024-06-12 09:15 发表于江西", "平川纪检 2024年06月12日 09:15", "原创 澜检纪检2024-06-12 09:15发表于江西",
      "原创 清风梧桐 清风梧桐 2025年01月10日 18:30 浙江"),
     ("中共平川县委 2024年11月15日召开", "中共平川县委 2024年11月15日"))
_add("chrome_site_name",
     r"^\s*\S{2,24}?(?:网站|门户网站|门户网|政府网|官网|官方网站|纪检监察网|监察网|党建网|新闻网|客户端|公众号)\s*$",
     "a site-name line: 平川县纪委监委网站 / 桐溪区人民政府门户网站",
     ("平川县纪委监委网站", "桐溪区人民政府门户网站", "清风云泽纪检监察网"), ("中共平川县交通运输局党组",))
_add("chrome_nav", r"^\s*(?:[\p{Han}A-Za-z]{1,10}\s*(?:\||/|·|›|»|>)\s*){2,}[\p{Han}A-Za-z]{1,10}\s*$"
     r"|^\s*(?:[\p{Han}]{1,6}[ ]+){4,}[\p{Han}]{1,6}\s*$",
     "a navigation bar: 首页 | 工作动态 | 巡察工作 (or five or more short words spaced out)",
     ("首页 | 工作动态 | 巡察工作 | 审查调查", "首页 机构概况 新闻中心 信息公开 党建工作"),
     ("一、整改工作开展情况", "中共平川县委 2024年11月15日", "一是加强 二是完善 三是健全 四是落实"))
_add("chrome_slogan", r"^\s*(?:[\p{Han}]{2,8}[ ]+){1,3}[\p{Han}]{2,8}\s*$",
     "a site's slogan above the page (清风平川 廉洁平川): chrome only before the body",
     ("清风平川 廉洁平川",), ("一、整改工作开展情况",))
_add("chrome_column_tag", r"^\s*【(?!\s*问题)[^】\d]{2,10}】\s*(?=\S)",
     "a column tag before a headline: 【巡察整改】 (never 【问题1】)",
     ("【巡察整改】中共XX局党组关于巡察整改情况的通报",), ("【问题1】医保基金",))
_add("chrome_date_tail", rf"\s*[\[(]?\s*{iso_re('')}(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*[\])]?\s*$",
     "a date closing a line of a list page: 关于…的通报　2024-11-15",
     ("关于巡察整改进展情况的通报 2024-11-15", "通报[2024-06-12]"), ("2024年11月15日",))
