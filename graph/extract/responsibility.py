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

_GROUP_SEP = re.compile(r"[,;，；]")
_NAME_SEP = "、"
_MARKERS = (  # longest first
    ("按职责分工负责", SUPPORT),
    ("按职责分工", SUPPORT),
    ("分工负责", SUPPORT),
    ("牵头负责", LEAD),
    ("牵头", LEAD),
    ("配合", SUPPORT),
    ("参与", SUPPORT),
    ("协助", SUPPORT),
    ("协同", SUPPORT),
    ("负责", RESPONSIBLE),
)
_LABELS = re.compile(
    r"^(牵头单位|牵头部门|主责单位|责任单位|负责单位|配合单位|参与单位|协办单位|协助单位)[:：]"
)
_LABEL_ROLES = {
    "牵头单位": LEAD,
    "牵头部门": LEAD,
    "主责单位": LEAD,
    "配合单位": SUPPORT,
    "参与单位": SUPPORT,
    "协办单位": SUPPORT,
    "协助单位": SUPPORT,
}
_ETC = re.compile(r"等(?:有关|相关|其他|各)?(?:部门|单位|地区|机构|方面|地市)?$")
_DEADLINE = re.compile(
    r"\d{4}|年内|年底|年前|底前|月底|季度|持续|长期|逐步|完成|启动|推进|开展|落实"
)
_UNIT_ENDINGS = set("厅局委办府会院行站署部门位心团司处室所队联社馆军组关协")
_FORWARD_PREFIXES = ("省委", "省", "市委", "市", "区委", "县委")
_NO_PREFIX_START = (
    "省",
    "市",
    "国家",
    "国务院",
    "中国",
    "中央",
    "全国",
    "广东",
    "团",
    "人行",
    "各",
    "有关",
)


@dataclass(frozen=True)
class Unit:
    """One responsible unit of a list."""

    name: str  # expanded short name, simplified script (省公安厅)
    as_written: str  # as the list writes it (公安厅)
    role: str  # lead | support | responsible
    position: int  # 1-based order in the list
    id: str  # register id, or a generated ``unknown-…`` id
    known: bool

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "as_written": self.as_written,
            "role": self.role,
            "position": self.position,
            "id": self.id,
            "known": self.known,
        }


@dataclass
class ParsedList:
    """The units of one list, plus what was read but is not a unit."""

    units: list[Unit] = field(default_factory=list)
    deadline: str | None = None
    dropped: list[str] = field(default_factory=list)  # 等… tails


@dataclass
class _Name:
    name: str
    written: str
    role: str | None


def strip_brackets(text: str) -> str:
    """Drop one pair of outer brackets of any width or shape."""
    text = text.strip()
    if text[:1] in "(（〔[【" and text[-1:] in ")）〕]】":
        return text[1:-1]
    if text[:1] in "(（〔[【":
        return text[1:]
    return text


def parse_list(
    written: str,
    match: str | None = None,
    *,
    first_is_lead: bool = False,
    register: Register | None = None,
) -> ParsedList:
    """Parse a responsibility list into units.

    *written* is the list as written (brackets optional); *match* its same-length matching form
    (simplified, half-width), computed when omitted.

    >>> [u.name for u in parse_list("（省发展改革委、公安厅，深圳、珠海市政府）").units]
    ['省发展改革委', '省公安厅', '深圳市政府', '珠海市政府']
    >>> [(u.name, u.role) for u in parse_list("(省商务厅牵头，省港澳办配合)").units]
    [('省商务厅', 'lead'), ('省港澳办', 'support')]
    """
    from graph.extract.text import matching_form

    register = register or load_register()
    written = strip_brackets(written)
    match = matching_form(written) if match is None else strip_brackets(match)
    result = ParsedList()
    names: list[_Name] = []
    for start, end in _groups(match):
        names.extend(_read_group(written[start:end], match[start:end], result, register))
    explicit_lead = any(n.role == LEAD for n in names)
    for position, item in enumerate(names, start=1):
        role = item.role
        if first_is_lead and not explicit_lead:
            # 列在首位的为牵头单位: the preamble's rule outranks 按职责分工负责 and the like
            role = LEAD if position == 1 else SUPPORT
        elif role is None:
            role = SUPPORT if explicit_lead else RESPONSIBLE
        agency = register.lookup(item.name)
        result.units.append(
            Unit(
                name=agency.name if agency else item.name,
                as_written=item.written,
                role=role,
                position=position,
                id=agency.id if agency else unknown_id(item.name),
                known=agency is not None,
            )
        )
    return result


def _groups(match: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for sep in _GROUP_SEP.finditer(match):
        spans.append((start, sep.start()))
        start = sep.end()
    spans.append((start, len(match)))
    return [_trim(match, s, e) for s, e in spans if match[s:e].strip()]


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
    label = _LABELS.match(match)
    if label:
        role = _LABEL_ROLES.get(label.group(1), RESPONSIBLE)
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
    etc = _ETC.search(match)
    if etc and etc.start() > 0:
        result.dropped.append(written[etc.start() :])
        written, match = written[: etc.start()], match[: etc.start()]
    written, match = written.strip(), match.strip()
    if not match:
        return []
    if _is_deadline(match, register):
        result.deadline = result.deadline or written
        return []
    pieces = _split_names(written, match, register)
    expanded = _expand(pieces, register)
    return [_Name(name=n, written=w, role=role) for n, w in expanded]


def _is_unit_like(name: str, register: Register) -> bool:
    return name in register or (len(name) >= 2 and name[-1] in _UNIT_ENDINGS)


def _is_deadline(match: str, register: Register) -> bool:
    return not _is_unit_like(match, register) and bool(_DEADLINE.search(match))


def _split_names(written: str, match: str, register: Register) -> list[tuple[str, str]]:
    """Split a group on 、 and, where both sides are whole units, on 及/和/与."""
    out: list[tuple[str, str]] = []
    start = 0
    for i, ch in enumerate(match + _NAME_SEP):
        if ch == _NAME_SEP:
            w, m = written[start:i].strip(), match[start:i].strip()
            if m:
                out.extend(_split_conjunction(w, m, register))
            start = i + 1
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


def _expand(pieces: list[tuple[str, str]], register: Register) -> list[tuple[str, str]]:
    """Apply the forward prefix and backward unit-type rules within one group."""
    if not pieces:
        return []
    names = [m for _, m in pieces]
    names = _expand_backwards(names, register)
    names = _expand_forwards(names, register)
    return [(n, w) for n, (w, _) in zip(names, pieces, strict=True)]


def _expand_forwards(names: list[str], register: Register) -> list[str]:
    first = names[0]
    rule_prefix = next(
        (p for p in _FORWARD_PREFIXES if first.startswith(p) and len(first) > len(p)), ""
    )
    out = [first]
    for name in names[1:]:
        out.append(_with_prefix(name, first, rule_prefix, register))
    return out


def _with_prefix(name: str, first: str, rule_prefix: str, register: Register) -> str:
    # 省商务厅、港澳办 → 省港澳办 even though 港澳办 alone is the State Council's office
    if rule_prefix and rule_prefix + name in register and not name.startswith(_NO_PREFIX_START):
        return rule_prefix + name
    if name in register or name.startswith(_NO_PREFIX_START) or _starts_with_place(name):
        return name
    for k in range(1, len(first)):
        if first[:k] + name in register:
            return first[:k] + name
    return rule_prefix + name if rule_prefix else name


def _starts_with_place(name: str) -> bool:
    return any(name.startswith(p) and len(name) > len(p) for p in administrative_names())


def _expand_backwards(names: list[str], register: Register) -> list[str]:
    last = names[-1]
    bare = [i for i, n in enumerate(names[:-1]) if _is_bare_place(n, register, last)]
    if not bare:
        return names
    places = sorted(
        (p for p in administrative_names() if last.startswith(p) and len(last) > len(p)), key=len
    ) or [last[: len(names[bare[-1]])]]
    options = []
    for place in places:
        suffix = last[len(place) :]
        options.append([n + suffix if i in bare else n for i, n in enumerate(names)])
    # 深圳、珠海市政府: 珠海 + 市政府 (not 珠海市 + 政府) is the reading whose names exist
    return next((o for o in options if all(n in register for n in o)), options[0])


def _is_bare_place(name: str, register: Register, last: str) -> bool:
    """A place name standing for ``name + the last name's unit type`` (深圳 in 深圳、珠海市政府).

    Names of the gazetteer qualify; so does an unknown two-character name when the last name
    reads place + 市/区/县/镇 + unit type. Group names (各地区, 有关部门) never do.
    """
    if name in register or name.startswith(("各", "有关", "省", "国务院", "国家", "中央", "中国")):
        return False
    if name in administrative_names():
        return True
    return len(name) == 2 and bool(re.match(r"^[\u4e00-\u9fff]{2}[市区县镇]", last))
