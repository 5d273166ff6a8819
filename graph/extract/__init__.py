"""Extract: a notice's text → items with their sections and responsible units.

In: a notice as a file, bytes or a string (UTF-8, UTF-16 or GB18030; simplified or traditional).
Out: a ``dict`` per notice (document metadata, sections, items with text spans, responsibility
lists, expanded units with roles, places, themes, keywords, warnings), as ``yuegang extract``
prints it.

Modules: :mod:`.text` (decode, matching form), :mod:`.lines` (what the layout readers share),
:mod:`.items` (sections, sub-sections, numbered items), :mod:`.tables` and :mod:`.glued` (task
tables flattened to text), :mod:`.responsibility` (list grammar → units and roles), :mod:`.register` (the agency
register, ``data/agencies.csv``), :mod:`.gazetteer` (places and themes, ``data/places.csv``,
``data/themes.csv``), :mod:`.keywords` (jieba), :mod:`.notice` (all of them for one notice),
:mod:`.corrections` (a researcher's corrections file applied to the dicts; items needing attention).
"""

from graph._lazy import lazy_exports

_EXPORTS = {
    "BUNDLED_NOTICE": "notice",
    "bundled_notice_path": "notice",
    "extract_file": "notice",
    "extract_text": "notice",
    "extract_bytes": "notice",
    "extract_source": "notice",
    "target_year": "notice",
    "summarise_warnings": "notice",
    "SourceText": "text",
    "read_file": "text",
    "read_bytes": "text",
    "from_string": "text",
    "matching_form": "text",
    "to_simplified": "text",
    "DEFAULT_MAX_SIZE": "text",
    "RawItem": "items",
    "Structure": "items",
    "read_structure": "items",
    "ListSpan": "items",
    "read_tables": "tables",
    "Unit": "responsibility",
    "ParsedList": "responsibility",
    "parse_list": "responsibility",
    "parse_lists": "responsibility",
    "guess_kind": "responsibility",
    "Agency": "register",
    "Register": "register",
    "load_register": "register",
    "read_register": "register",
    "Place": "gazetteer",
    "Theme": "gazetteer",
    "load_places": "gazetteer",
    "load_themes": "gazetteer",
    "find_places": "gazetteer",
    "find_themes": "gazetteer",
    "Correction": "corrections",
    "CorrectionError": "corrections",
    "apply_corrections": "corrections",
    "attention": "corrections",
    "corrections_template": "corrections",
    "parse_corrections": "corrections",
    "read_corrections": "corrections",
    "keywords": "keywords",
    "segment": "keywords",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
