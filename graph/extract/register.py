"""The agency register: who each responsible unit is (``graph/extract/data/agencies.csv``).

The register is data, not code. Each row gives a stable id, the canonical short name (as a unit
is written alone in a list, e.g. 省公安厅), the official full name, the English name, the kind,
the parent body (another id), the city and ``|``-separated aliases (older and newer names,
traditional forms). Lookups work on the simplified, half-width form, so traditional input finds
the same unit.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from graph.extract.text import matching_form

KINDS = (
    "provincial-department",
    "provincial-office",
    "municipal-government",
    "central-branch",
    "state-owned-enterprise",
    "court",
    "party-or-mass-organisation",
    "group",
    "other",
)


@dataclass(frozen=True)
class Agency:
    """One row of the register."""

    id: str
    name: str
    full_name: str
    name_en: str
    kind: str
    parent: str = ""
    city: str = ""
    aliases: tuple[str, ...] = ()
    source: str = ""
    known: bool = True


class Register:
    """Agencies by id and by every name they go by.

    >>> reg = load_register()
    >>> reg.lookup("省港澳办").id
    'gd-hmao'
    >>> reg.lookup("廣東省人民政府港澳事務辦公室").name
    '省港澳办'
    """

    def __init__(self, agencies: list[Agency]):
        self.agencies = agencies
        self._by_id = {a.id: a for a in agencies}
        self._by_name: dict[str, Agency] = {}
        for agency in agencies:
            for name in (agency.name, agency.full_name, *agency.aliases):
                if name:
                    self._by_name.setdefault(_key(name), agency)
        # canonical names win over another unit's alias
        for agency in agencies:
            self._by_name[_key(agency.name)] = agency

    def __len__(self) -> int:
        return len(self.agencies)

    def __contains__(self, name: str) -> bool:
        return _key(name) in self._by_name

    def get(self, agency_id: str) -> Agency | None:
        """The agency with this id, or None."""
        return self._by_id.get(agency_id)

    def lookup(self, name: str) -> Agency | None:
        """The agency known by this name or alias (any script, any width), or None."""
        return self._by_name.get(_key(name))

    def names(self) -> list[str]:
        """Every name and alias, for the jieba user dictionary."""
        return sorted({n for a in self.agencies for n in (a.name, a.full_name, *a.aliases) if n})


def _key(name: str) -> str:
    return "".join(matching_form(name).split())


def unknown_id(name: str) -> str:
    """The generated, stable id of a unit the register does not know.

    >>> unknown_id("省某某办")
    'unknown-90587435cd'
    """
    return "unknown-" + hashlib.sha1(_key(name).encode("utf-8")).hexdigest()[:10]


def unknown_agency(name: str) -> Agency:
    """A stand-in record for a unit the register does not know (kept, flagged ``known=False``)."""
    return Agency(
        id=unknown_id(name),
        name=name,
        full_name=name,
        name_en="",
        kind="other",
        known=False,
        source="not in the register",
    )


def read_register(path: str | Path) -> Register:
    """Read a register CSV file (the bundled one or a user's own)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return Register([_row(r, str(path), i) for i, r in enumerate(csv.DictReader(fh), start=2)])


def _row(row: dict[str, str], source: str, line: int) -> Agency:
    kind = row["kind"].strip()
    if kind not in KINDS:
        raise ValueError(f"{source}:{line}: unknown agency kind {kind!r}; expected one of {KINDS}")
    return Agency(
        id=row["id"].strip(),
        name=row["name"].strip(),
        full_name=row["full_name"].strip(),
        name_en=row["name_en"].strip(),
        kind=kind,
        parent=row.get("parent", "").strip(),
        city=row.get("city", "").strip(),
        aliases=tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip()),
        source=row.get("source", "").strip(),
    )


@lru_cache(maxsize=1)
def load_register() -> Register:
    """The bundled register (cached)."""
    with resources.as_file(resources.files("graph.extract.data") / "agencies.csv") as path:
        return read_register(path)
