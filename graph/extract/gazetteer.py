"""Places and themes: the gazetteer (``places.csv``) and the theme list (``themes.csv``).

Both are data files in ``graph/data``. :func:`find_places` and :func:`find_themes` report the
ones an item's text names, longest name first, so that a name inside a longer one (海上丝绸之路
inside 21世纪海上丝绸之路) is not reported twice.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from graph.extract.text import matching_form

#: Place kinds reported as places an item names. Provinces are only used to expand
#: responsibility lists (广东、深圳、珠海出入境检验检疫局): nearly every item names 广东.
ITEM_PLACE_KINDS = frozenset({"city", "sar", "zone", "district"})


@dataclass(frozen=True)
class Place:
    """A city, SAR, district, zone or province of the gazetteer."""

    id: str
    name: str
    name_en: str
    kind: str
    lat: float | None
    long: float | None
    wikidata: str
    parent: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Theme:
    """A cross-cutting programme (a SKOS concept of the theme scheme)."""

    id: str
    name: str
    name_en: str
    broader: str
    aliases: tuple[str, ...]
    comment: str


def _rows(filename: str) -> list[dict[str, str]]:
    text = (resources.files("graph.extract.data") / filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


@lru_cache(maxsize=1)
def load_places() -> tuple[Place, ...]:
    """All places of the bundled gazetteer."""
    return tuple(
        Place(
            id=r["id"],
            name=r["name"],
            name_en=r["name_en"],
            kind=r["kind"],
            lat=_float(r["lat"]),
            long=_float(r["long"]),
            wikidata=r["wikidata"].strip(),
            parent=r["parent"].strip(),
            aliases=_split(r["aliases"]),
        )
        for r in _rows("places.csv")
    )


@lru_cache(maxsize=1)
def load_themes() -> tuple[Theme, ...]:
    """All themes of the bundled theme list."""
    return tuple(
        Theme(
            id=r["id"],
            name=r["name"],
            name_en=r["name_en"],
            broader=r["broader"].strip(),
            aliases=_split(r["aliases"]),
            comment=r["comment"].strip(),
        )
        for r in _rows("themes.csv")
    )


def place_by_name(name: str) -> Place | None:
    """The place whose canonical name or alias is *name*."""
    return _place_names().get(_key(name))


def theme_by_name(name: str) -> Theme | None:
    """The theme whose canonical name or alias is *name*."""
    return _theme_names().get(_key(name))


def _key(text: str) -> str:
    return "".join(matching_form(text).split())


@lru_cache(maxsize=1)
def _place_names() -> dict[str, Place]:
    return {_key(n): p for p in load_places() for n in (p.name, *p.aliases)}


@lru_cache(maxsize=1)
def _theme_names() -> dict[str, Theme]:
    return {_key(n): t for t in load_themes() for n in (t.name, *t.aliases)}


@lru_cache(maxsize=1)
def _item_place_names() -> dict[str, Place]:
    return {k: p for k, p in _place_names().items() if p.kind in ITEM_PLACE_KINDS}


@lru_cache(maxsize=1)
def administrative_names() -> tuple[str, ...]:
    """Every place name and alias, provinces included, longest first (for expanding
    responsibility lists)."""
    return tuple(sorted(_place_names(), key=lambda n: (-len(n), n)))


def _find(text: str, names: dict[str, object]) -> list[object]:
    """Objects named in *text*, in order of first mention; at each position the longest name
    wins, and matches do not overlap."""
    found: dict[object, None] = {}
    for m in _pattern(tuple(names)).finditer(_key(text)):
        found.setdefault(names[m.group(0)])
    return list(found)


@lru_cache(maxsize=8)
def _pattern(names: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def find_places(text: str) -> list[Place]:
    """Places (cities, SARs, districts, zones) named in full in *text*.

    >>> [p.name for p in find_places("探索推动实现香港游艇在广州南沙通行")]
    ['香港', '广州', '南沙']
    """
    return _find(text, _item_place_names())


def find_themes(text: str) -> list[Theme]:
    """Themes named in *text*.

    >>> [t.name for t in find_themes("共同参与“21世纪海上丝绸之路”建设，落实《中国制造 2025》")]
    ['21世纪海上丝绸之路', '中国制造2025']
    """
    return _find(text, _theme_names())
