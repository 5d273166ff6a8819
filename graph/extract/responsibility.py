"""Responsibility lists: ``（省发展改革委、公安厅，深圳、珠海市政府）`` → units with roles.

The rules of official shorthand, as the genre writes them:

- ``，``/``,``/``；`` separate groups, ``、`` separates names; ``及``/``和``/``与`` too, but only
  where both sides are whole units (省经济和信息化委 is one unit).
- A leading ``省`` (``省委``, ``市`` …) applies forwards to every name of its group
  (``省商务厅、港澳办`` → 省商务厅, 省港澳办); so does a parent body the register knows
  (``工商总局商标审查协作广州中心、商标局驻广州办事处``).
- A trailing unit type applies backwards over bare place names
  (``广州、深圳、珠海市政府`` → 广州市政府, 深圳市政府, 珠海市政府).
- Stand-alone names (团省委, 人行广州分行, 广铁集团, 深圳海关) take no prefix.
- Role markers: ``牵头`` → lead; ``配合``/``参与``/``协助``/``按职责分工负责`` → support;
  ``A会同B`` → A lead, B support; ``牵头单位：…``/``配合单位：…`` labels. With no marker every
  unit is ``responsible``; once a list names a lead, its unmarked units support. A preamble rule
  such as 列在首位的为牵头单位 makes the first unit the lead and the others support.
- Group names (省有关单位, 各地级以上市人民政府) are units; an ``等有关部门`` tail is not; a
  group such as ``年内持续推进`` is a deadline, not a unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extract.gazetteer import administrative_names
from graph.extract.register import Register, load_register, unknown_id

LEAD, SUPPORT, RESPONSIBLE = "lead", "support", "responsible"

_GROUP_SEP = frozenset(",;，；")
_NAME_SEP = "、"
_MARKERS = (  # longest first; None: no role of its own (support after a lead, else responsible)
    ("按职责分工负责落实", None),
    ("按职责分工负责", None),
    ("按职责分工", None),
    ("分别牵头负责", LEAD),
    ("分别牵头落实", LEAD),
    ("分别牵头", LEAD),
    ("分别负责落实", None),
    ("分别负责", None),
    ("分工负责", None),
    ("牵头负责", LEAD),
    ("牵头落实", LEAD),
    ("牵头", LEAD),
    ("负责落实", None),
    ("配合", SUPPORT),
    ("参与", SUPPORT),
    ("协助", SUPPORT),
    ("协同", SUPPORT),
    ("协办", SUPPORT),
    ("负责", None),
    ("落实", None),
)
#: labels that open a list or a group (``牵头单位：``); the role they give, None for 责任单位
LABEL_ROLES = {
    "牵头单位": LEAD,
    "牵头部门": LEAD,
    "牵头负责单位": LEAD,
    "牵头负责部门": LEAD,
    "主责单位": LEAD,
    "主办单位": LEAD,
    "配合单位": SUPPORT,
    "配合部门": SUPPORT,
    "参与单位": SUPPORT,
    "协办单位": SUPPORT,
    "协助单位": SUPPORT,
    "协同单位": SUPPORT,
    "责任单位": None,
    "责任部门": None,
    "负责单位": None,
    "承办单位": None,
    "实施单位": None,
    "部门分工": None,
}
#: the labels above, as written (used where a label is looked for inside running text)
NAMED_LABEL = re.compile(
    "(" + "|".join(sorted(LABEL_ROLES, key=len, reverse=True)) + r")\s*[:：]\s*"
)
#: any label naming units (责任处室：, 牵头责任单位：, 协办部门：): the role comes from its words
LABEL = re.compile(
    "("
    + "|".join(sorted(LABEL_ROLES, key=len, reverse=True))
    + r"|[\u4e00-\u9fff]{0,5}?(?:单位|部门|处室|科室|主体))\s*[:：]\s*"
)


def label_role(label: str) -> str | None:
    """The role a list label gives: 牵头单位 → lead, 协办部门 → support, 责任单位 → None.

    >>> label_role("牵头责任单位"), label_role("协办处室"), label_role("责任处室")
    ('lead', 'support', None)
    """
    if label in LABEL_ROLES:
        return LABEL_ROLES[label]
    if re.search(r"牵头|主责|主办", label):
        return LEAD
    if re.search(r"配合|协办|参与|协助|协同", label):
        return SUPPORT
    return None


#: an 等… tail: 等, 等有关部门, 等省有关部门; not a unit; at a group's end or before 和/及/、
_ETC = re.compile(
    r"等(?:\d+个|[一二三四五六七八九十]+个)?(?:[省市区县])?(?:直)?(?:有关|相关|其他|其它|各)?"
    r"(?:部门|单位|地区|机构|方面|地市|成员单位)?(?=$|和|及|与|、)"
)
_DEADLINE = re.compile(
    r"\d{4}|年内|年底|年前|底前|月底|季度|持续|长期|逐步|完成|启动|推进|开展|落实|前$"
)
_PEOPLES_GOVERNMENT = re.compile(r"(?<=[\u4e00-\u9fff])(市|区|县|镇|乡|州|盟|旗)人民政府$")
#: a time phrase written right after the last unit of a group
_TIME_TAIL = re.compile(
    r"(?:\d{4}年|年内|年底|年前|[一二三四1-4]季度|\d{1,2}月底?|上半年|下半年)[^、]*$"
    r"|(?:持续推进|长期坚持|持续实施|持续开展|长期推进)$"
)
#: a note inside a list: a rule (列第一位为牵头单位，下同) or a remark, never a unit
_NOTE = re.compile(r"下同|为牵头|除标注|具体任务|涉及|以下|详见|注[:：]")
#: the rule that the first-listed unit leads (列在首位的为牵头单位, 排名第一的为牵头部门 …)
LEAD_RULE = re.compile(
    r"(列|排)(在|名)?(第一位|首位|前面|第一|最前)的?(单位|部门)?(为|是)牵头"
    r"|第一(个|家)?(单位|部门)(为|是)牵头|首位(单位|部门)?(为|是)牵头"
)
_UNIT_ENDINGS = set("厅局委办府会院行站署部门位心团司处室所队联社馆军组关协")
#: endings of units an ordinary name table may not know (for guessing and for table cells)
_UNIT_SUFFIXES = (
    "街道",
    "街道办事处",
    "开发区",
    "经开区",
    "高新区",
    "新区",
    "园区",
    "专班",
    "镇",
    "乡",
)
_FORWARD_PREFIXES = ("省委", "省", "市委", "市", "区委", "区", "县委", "县")
_NO_PREFIX_START = (
    "省",
    "市",
    "区",
    "县",
    "国家",
    "国务院",
    "中国",
    "中央",
    "全国",
    "全省",
    "全市",
    "全区",
    "广东",
    "团",
    "人行",
    "各",
    "有关",
    "相关",
    "其他",
)
#: a unit that names its own place (黄埔区政府, 崇川经济开发区, 五星街道): no prefix carries onto it
_SELF_PLACED = re.compile(
    r"^[\u4e00-\u9fff]{2,4}?(?:市|区|县|镇|乡|街道)(?:人民政府|政府|管委会|办事处|党委)?$"
    r"|^[\u4e00-\u9fff]{2,4}?(?:经济开发区|经济技术开发区|开发区|高新区|经开区|新区|园区|街道)"
    r"|^[\u4e00-\u9fff]{2,4}?[市区县](?:人民政府|政府)"
)
#: 市政局, 市政处: 市政 (municipal works) is one word, not the prefix 市 + 政局
_SHI_ZHENG = re.compile(r"^市政(?!府)")


@dataclass(frozen=True)
class Unit:
    """One responsible unit of a list."""

    name: str  # expanded short name, simplified script (省公安厅)
    as_written: str  # as the list writes it (公安厅)
    role: str  # lead | support | responsible
    position: int  # 1-based order in the item
    id: str  # register id, or a generated ``unknown-…`` id
    known: bool
    kind: str = "other"  # the register's kind, else guessed from the name's form
    list: int = 0  # 0-based index of the item's list the unit comes from

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "as_written": self.as_written,
            "role": self.role,
            "position": self.position,
            "id": self.id,
            "known": self.known,
            "kind": self.kind,
            "list": self.list,
        }


@dataclass
class ParsedList:
    """The units of one item's lists, plus what was read but is not a unit."""

    units: list[Unit] = field(default_factory=list)
    deadline: str | None = None
    dropped: list[str] = field(default_factory=list)  # 等… tails
    notes: list[str] = field(default_factory=list)  # remarks inside a list (…，下同)
    first_is_lead_rule: bool = False  # a note said 列第一位为牵头单位 (applies from here on)


@dataclass
class _Name:
    name: str
    written: str
    role: str | None
    list: int = 0


def strip_brackets(text: str) -> str:
    """Drop one pair of outer brackets of any width or shape."""
    text = text.strip()
    if text[:1] in "(（〔[【" and text[-1:] in ")）〕]】":
        return text[1:-1]
    if text[:1] in "(（〔[【":
        return text[1:]
    return text


def guess_kind(name: str) -> str:
    """Kind of a unit the register does not know, from its form.

    >>> [guess_kind(n) for n in ("市水务局", "黄埔区政府", "五星街道", "晋陵公司", "各街道")]
    ['department', 'government', 'sub-district', 'enterprise', 'collective']
    """
    if name.startswith(("各", "有关", "相关", "其他")) or re.search(
        r"(有关|相关|各)(部门|单位)", name
    ):
        return "collective"
    if name.endswith(("公司", "集团")):
        return "enterprise"
    if name.endswith(("街道", "街道办事处", "办事处", "镇", "乡")):
        return "sub-district"
    if re.search(r"(人民政府|政府)$", name):
        return "government"
    if name.endswith(("管委会", "开发区", "经开区", "高新区", "新区", "园区")):
        return "zone"
    if name[-1:] in "厅局委办部署室处所中心队馆站院" or name.endswith(("中心", "指挥部", "专班")):
        return "department"
    return "other"


def parse_list(
    written: str,
    match: str | None = None,
    *,
    first_is_lead: bool = False,
    register: Register | None = None,
) -> ParsedList:
    """Parse one responsibility list into units.

    *written* is the list as written (brackets optional); *match* its same-length matching form
    (simplified, half-width), computed when omitted.

    >>> [u.name for u in parse_list("（省发展改革委、公安厅，深圳、珠海市政府）").units]
    ['省发展改革委', '省公安厅', '深圳市政府', '珠海市政府']
    >>> [(u.name, u.role) for u in parse_list("(省商务厅牵头，省港澳办配合)").units]
    [('省商务厅', 'lead'), ('省港澳办', 'support')]
    """
    return parse_lists([(written, match, None)], first_is_lead=first_is_lead, register=register)


def parse_lists(
    lists: list[tuple[str, str | None, str | None]],
    *,
    first_is_lead: bool = False,
    register: Register | None = None,
) -> ParsedList:
    """Parse all the lists of one item: ``(written, match, role)`` each, where *role* is what a
    label line or a table column gives (``牵头单位：`` → lead), None when it gives none.

    Roles are decided over the whole item: once any list names a lead, unmarked units support;
    with no lead they are responsible. A rule 列第一位为牵头单位 (from the preamble, or a note in
    this or an earlier list) makes the first unit the lead unless a lead is marked.
    """
    from graph.extract.text import matching_form

    register = register or load_register()
    result = ParsedList()
    names: list[_Name] = []
    for index, (written, match, role) in enumerate(lists):
        written = strip_brackets(written)
        match = matching_form(written) if match is None else strip_brackets(match)
        written, match = _drop_notes(written, match, result)
        written, match = _labels_as_groups(written, match)
        held = role  # 牵头单位：A，B — a label holds until the next label of the list
        for start, end in _groups(match):
            label = LABEL.match(match[start:end].lstrip("由"))
            if label:
                held = label_role(label.group(1))
            for name in _read_group(written[start:end], match[start:end], result, register):
                name.list = index
                if name.role is None and held is not None:
                    name.role = held
                names.append(name)
    first_is_lead = first_is_lead or result.first_is_lead_rule
    explicit_lead = any(n.role == LEAD for n in names)
    for position, item in enumerate(names, start=1):
        role = item.role
        if first_is_lead and not explicit_lead:
            # 列在首位的为牵头单位: the rule outranks 按职责分工负责 and the like
            role = LEAD if position == 1 else SUPPORT
        elif role is None or (role == RESPONSIBLE and explicit_lead):
            role = SUPPORT if explicit_lead else RESPONSIBLE
        agency = register.lookup(item.name)
        if agency is None:  # 某某市人民政府 and 某某市政府 are one unit, as the register writes it
            item.name = _PEOPLES_GOVERNMENT.sub(r"\1政府", item.name)
            agency = register.lookup(item.name)
        result.units.append(
            Unit(
                name=agency.name if agency else item.name,
                as_written=item.written,
                role=role,
                position=position,
                id=agency.id if agency else unknown_id(item.name),
                known=agency is not None,
                kind=agency.kind if agency else guess_kind(item.name),
                list=item.list,
            )
        )
    return result


def _drop_notes(written: str, match: str, result: ParsedList) -> tuple[str, str]:
    """Cut remarks off a list: a trailing bracket (除标注…外，列第一位为牵头单位，下同) or a
    sentence after the first 。 (…按职责分工负责。具体任务均涉及…，下同。)."""
    while True:
        stripped = match.rstrip("。. ")
        if stripped.endswith(")"):
            opening = _matching_open(stripped, len(stripped) - 1)
            if opening is not None and opening > 0 and _NOTE.search(stripped[opening:]):
                _note(written[opening : len(stripped)], stripped[opening:], result)
                written, match = written[:opening], match[:opening]
                continue
        stop = match.find("。")
        if 0 < stop < len(match.rstrip("。. ")):
            _note(written[stop + 1 :], match[stop + 1 :], result)
            written, match = written[:stop], match[:stop]
            continue
        return written, match


def _note(written: str, match: str, result: ParsedList) -> None:
    result.notes.append(written.strip())
    if LEAD_RULE.search(match):
        result.first_is_lead_rule = True


def _matching_open(text: str, close: int) -> int | None:
    depth = 0
    for i in range(close, -1, -1):
        if text[i] in ")]〕】":
            depth += 1
        elif text[i] in "([〔【":
            depth -= 1
            if depth == 0:
                return i
    return None


def _depth_split(match: str, separators) -> list[tuple[int, int]]:
    """Spans between separators that stand outside brackets (各县(市、区)政府 stays whole)."""
    spans, start, depth = [], 0, 0
    for i, ch in enumerate(match):
        if ch in "([〔【":
            depth += 1
        elif ch in ")]〕】":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(match)))
    return spans


def _groups(match: str) -> list[tuple[int, int]]:
    spans = _depth_split(match, _GROUP_SEP)
    return [_trim(match, s, e) for s, e in spans if match[s:e].strip(" \t\n。.")]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n。.":
        start += 1
    while end > start and text[end - 1] in " \t\n。.":
        end -= 1
    return start, end


def _read_group(written: str, match: str, result: ParsedList, register: Register) -> list[_Name]:
    """Names of one comma group, expanded, with the group's role marker."""
    role: str | None = None
    if match.startswith("由"):
        written, match = written[1:], match[1:]
    label = LABEL.match(match)
    if label:
        role = label_role(label.group(1))
        written, match = written[label.end() :], match[label.end() :]
    if "会同" in match:
        cut = match.index("会同")
        left = _read_group(written[:cut], match[:cut], result, register)
        right = _read_group(written[cut + 2 :], match[cut + 2 :], result, register)
        for n in left:
            n.role = n.role or LEAD
        for n in right:
            n.role = SUPPORT if n.role in (None, RESPONSIBLE) else n.role
        return left + right
    for marker, marker_role in _MARKERS:
        if match.endswith(marker) and len(match) > len(marker):
            role = role or marker_role
            written, match = written[: -len(marker)], match[: -len(marker)]
            break
    written, match, tail_prefix = _drop_tails(written, match, result)
    written, match = written.strip(), match.strip()
    if not match:
        return []
    timed = _TIME_TAIL.search(match)
    head = match[: timed.start()].strip() if timed else ""
    if timed and len(head) > 1 and _is_unit_like(head.split("、")[-1], register):
        # 省商务厅2024年底前完成: the time phrase is the deadline, the rest the unit
        result.deadline = result.deadline or written[timed.start() :].strip()
        written, match = written[: timed.start()].strip(), match[: timed.start()].strip()
    if _is_deadline(match, register):
        result.deadline = result.deadline or written
        return []
    pieces = _split_names(written, match, register)
    own_roles = []
    for i, (w, m) in enumerate(pieces):  # 市发改委（牵头）: a marker in brackets after one name
        marked = _OWN_MARKER.search(m)
        own_roles.append(None)
        if marked and marked.start() > 0:
            own_roles[-1] = dict(_MARKERS).get(marked.group(1))
            pieces[i] = (w[: marked.start()].strip(), m[: marked.start()].strip())
    expanded = _expand(pieces, register, tail_prefix)
    return [
        _Name(name=n, written=w, role=own if own in (LEAD, SUPPORT) else role)
        for (n, w), own in zip(expanded, own_roles, strict=True)
    ]


_OWN_MARKER = re.compile(
    r"\((按职责分工负责|分别牵头|分别负责|牵头负责|牵头|配合|参与|协助|协同|负责|汇总)\)$"
)


def _drop_tails(written: str, match: str, result: ParsedList) -> tuple[str, str, str]:
    """Remove every 等… tail (能源局等省有关部门和各地级以上市人民政府 → 能源局和各地…);
    return the place prefix a tail names (省 of 等省有关部门), for the names before it."""
    prefix = ""
    while True:
        etc = next((m for m in _ETC.finditer(match) if m.start() > 0), None)
        if etc is None:
            return written, match, prefix
        tail = written[etc.start() : etc.end()]
        result.dropped.append(tail)
        if not prefix and len(etc.group()) > 1 and etc.group()[1] in "省市区县":
            prefix = etc.group()[1]
        written = written[: etc.start()] + written[etc.end() :]
        match = match[: etc.start()] + match[etc.end() :]


def _is_unit_like(name: str, register: Register) -> bool:
    return name in register or (len(name) >= 2 and name[-1] in _UNIT_ENDINGS)


def _is_deadline(match: str, register: Register) -> bool:
    return not _is_unit_like(match, register) and bool(_DEADLINE.search(match))


def _labels_as_groups(written: str, match: str) -> tuple[str, str]:
    """牵头单位：A  责任单位：B on one line: a label after a space opens a new group."""
    cuts = [m.start() for m in re.finditer(r"\s+(?=" + LABEL.pattern + ")", match) if m.start() > 0]
    for at in cuts:
        written, match = written[:at] + ";" + written[at + 1 :], match[:at] + ";" + match[at + 1 :]
    return written, match


def _split_names(written: str, match: str, register: Register) -> list[tuple[str, str]]:
    """Split a group on 、 (outside brackets), on spaces between whole units (市发改委 市财政局,
    as web copies write them) and, where both sides are whole units, on 及/和/与."""
    out: list[tuple[str, str]] = []
    for start, end in _depth_split(match, _NAME_SEP):
        w, m = written[start:end].strip(), match[start:end].strip()
        if not m:
            continue
        spaced = _depth_split(m, " \t")
        parts = [(w[a:b].strip(), m[a:b].strip()) for a, b in spaced if m[a:b].strip()]
        if len(parts) > 1 and all(_is_unit_like(pm, register) for _, pm in parts):
            for pw, pm in parts:
                out.extend(_split_conjunction(pw, pm, register))
        else:
            out.extend(_split_conjunction(w, m, register))
    return out


def _split_conjunction(written: str, match: str, register: Register) -> list[tuple[str, str]]:
    """Split on the first 及/和/与 whose left side is a whole unit and whose right side splits
    into whole units (省文化和旅游厅和广州市政府: the second 和, not the first)."""
    if _is_unit_like(match, register) and match in register:
        return [(written, match)]
    for cut, conj in _conjunctions(match):
        left, right = match[:cut], match[cut + len(conj) :]
        if not _is_unit_like(left, register):
            continue
        rest = _split_conjunction(written[cut + len(conj) :], right, register)
        if all(_is_unit_like(m, register) for _, m in rest):
            return [(written[:cut], left), *rest]
    return [(written, match)]


def _conjunctions(match: str) -> list[tuple[int, str]]:
    found = {}
    for conj in ("以及", "及", "和", "与"):
        start = match.find(conj, 1)
        while start > 0:
            found.setdefault(start, conj)
            start = match.find(conj, start + 1)
    return sorted(found.items())


def _expand(
    pieces: list[tuple[str, str]], register: Register, tail_prefix: str = ""
) -> list[tuple[str, str]]:
    """Apply the forward prefix and backward unit-type rules within one group."""
    if not pieces:
        return []
    names = [m for _, m in pieces]
    names = _expand_backwards(names, register)
    names = _expand_forwards(names, register)
    if tail_prefix:  # 能源局等省有关部门: the tail says whose departments they are
        names = [tail_prefix + n if _takes_prefix(n) else n for n in names]
    return [(n, w) for n, (w, _) in zip(names, pieces, strict=True)]


def _rule_prefix(first: str) -> str:
    """The prefix a group's first name carries forward (省 of 省商务厅), '' if none."""
    if _SHI_ZHENG.match(first) or _SELF_PLACED.match(first):
        return ""
    return next(
        (p for p in _FORWARD_PREFIXES if first.startswith(p) and len(first) > len(p) + 1), ""
    )


def _takes_prefix(name: str) -> bool:
    """Can a carried prefix go onto *name*: a department's short name, not a collective, a
    stand-alone or a unit that names its own place (黄埔区政府, 五星街道)."""
    return not (
        name.startswith(_NO_PREFIX_START)
        or _starts_with_place(name)
        or _SELF_PLACED.match(name)
        or name.endswith(_UNIT_SUFFIXES)
    )


def _expand_forwards(names: list[str], register: Register) -> list[str]:
    first = names[0]
    rule_prefix = _rule_prefix(first)
    out = [first]
    for name in names[1:]:
        out.append(_with_prefix(name, first, rule_prefix, register))
    return out


def _with_prefix(name: str, first: str, rule_prefix: str, register: Register) -> str:
    # 省商务厅、港澳办 → 省港澳办 even though 港澳办 alone is the State Council's office
    if rule_prefix and rule_prefix + name in register and not name.startswith(_NO_PREFIX_START):
        return rule_prefix + name
    if name in register or not _takes_prefix(name):
        return name
    for k in range(1, len(first)):
        if first[:k] + name in register:
            return first[:k] + name
    return rule_prefix + name if rule_prefix else name


def _starts_with_place(name: str) -> bool:
    return any(name.startswith(p) and len(name) > len(p) for p in administrative_names())


def _expand_backwards(names: list[str], register: Register) -> list[str]:
    """广州、深圳、珠海市政府 → 广州市政府, …: each run of bare places takes the unit type of the
    name right after it (珠海市人民政府和省相关部门: 珠海市人民政府, not the last name)."""
    out = list(names)
    i = 0
    while i < len(names) - 1:
        if not _is_bare_place(names[i], register, names[i + 1 :]):
            i += 1
            continue
        j = i
        while j < len(names) - 1 and _is_bare_place(names[j], register, names[j + 1 :]):
            j += 1
        run, head = list(range(i, j)), names[j]
        out = _apply_backwards(out, run, head, register)
        i = j + 1
    return out


def _apply_backwards(out: list[str], run: list[int], head: str, register: Register) -> list[str]:
    places = sorted(
        (p for p in administrative_names() if head.startswith(p) and len(head) > len(p)), key=len
    ) or [head[: len(out[run[-1]])]]
    options = []
    for place in places:
        suffix = head[len(place) :]
        options.append([n + suffix if i in run else n for i, n in enumerate(out)])
    # 深圳、珠海市政府: 珠海 + 市政府 (not 珠海市 + 政府) is the reading whose names exist
    return next((o for o in options if all(o[i] in register for i in run)), options[0])


def _is_bare_place(name: str, register: Register, after: list[str]) -> bool:
    """A place name standing for ``name + the next name's unit type`` (深圳 in 深圳、珠海市政府).

    Names of the gazetteer qualify; so does an unknown two-character name when the next unit
    name reads place + 市/区/县/镇 + unit type. Group names (各地区, 有关部门) never do.
    """
    if not after:
        return False
    if name in register or name.startswith(("各", "有关", "省", "国务院", "国家", "中央", "中国")):
        return False
    nxt = next((n for n in after if not _is_place_word(n, register)), None)
    if nxt is None:
        return False
    if name in administrative_names():
        return True
    return len(name) == 2 and bool(re.match(r"^[\u4e00-\u9fff]{2}[市区县镇]", nxt))


def _is_place_word(name: str, register: Register) -> bool:
    return name not in register and (
        name in administrative_names() or (len(name) == 2 and not _is_unit_like(name, register))
    )
