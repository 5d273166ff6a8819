"""Keywords with jieba: a user dictionary built from the register, the gazetteer and the themes,
so that 省发展改革委, 前海 or 一带一路 stay single tokens, and TF-IDF top keywords per item.

jieba costs about a second to load its dictionary, so it is loaded once per process, on first
use; its cache file lives in the user cache directory and its log lines are silenced.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

#: Words too common in this genre to characterise an item.
STOP_WORDS = frozenset(
    "推进 推动 加强 促进 开展 继续 进一步 支持 鼓励 共同 两地 粤港 粤澳 合作 相关 工作 有关 建设 "
    "发展 研究 探索 深化 落实 积极 提升 包括 方面 实施 举办 利用 提供 通过 更多 做好 不断 方式 "
    "方面 项目 交流 机制 加快 完善 力争 争取 探讨 组织 参与 开展 以及 其他 广东 香港 澳门 内地".split()
)


def user_words() -> list[str]:
    """Every agency, place and theme name (with aliases) that jieba must keep whole."""
    from graph.extract.gazetteer import load_places, load_themes
    from graph.extract.register import load_register

    words = set(load_register().names())
    for place in load_places():
        words.update((place.name, *place.aliases))
    for theme in load_themes():
        words.update((theme.name, *theme.aliases))
    return sorted(w for w in words if len(w) > 1)


def cache_dir() -> Path:
    """Where jieba keeps its dictionary cache (the user cache folder, created)."""
    from graph import _cache

    path = _cache.root()
    path.mkdir(parents=True, exist_ok=True)
    return path


class KeywordExtractor:
    """TF-IDF keywords over jieba's part-of-speech segmentation and jieba's IDF table.

    jieba's own ``jieba.analyse`` builds a default extractor when imported, loading the POS
    table and the IDF file a second time (about 2 s); this class loads each once.
    """

    def __init__(self, tokenizer, postokenizer, idf: dict[str, float]):
        self.tokenizer = tokenizer
        self.postokenizer = postokenizer
        self.idf = idf
        self.median_idf = sorted(idf.values())[len(idf) // 2] if idf else 1.0

    def extract_tags(self, text: str, top: int = 5, allow_pos: tuple[str, ...] = ()) -> list[str]:
        """The *top* words of *text* by TF-IDF (ties: first used first)."""
        counts: dict[str, int] = {}
        for pair in self.postokenizer.cut(text):
            word, flag = pair.word, pair.flag
            if allow_pos and flag not in allow_pos:
                continue
            if len(word.strip()) < 2 or word in STOP_WORDS or word.isdigit():
                continue
            counts[word] = counts.get(word, 0) + 1
        total = sum(counts.values()) or 1
        weights = {w: c * self.idf.get(w, self.median_idf) / total for w, c in counts.items()}
        return sorted(weights, key=lambda w: -weights[w])[:top]


@lru_cache(maxsize=1)
def tfidf() -> KeywordExtractor:
    """The keyword extractor, with a tokenizer that knows the project's names (loaded once)."""
    jieba, posseg = _import_jieba()
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_dir())
    tokenizer.FREQ, tokenizer.total = _cached_table("dict", _dictionary_file(jieba), _read_freq)
    tokenizer.initialized = True
    for word in user_words():
        tokenizer.add_word(word, freq=2000, tag="nt")
    # The POS table (word → tag) is read from the same dictionary once, from its marshal cache,
    # and shared with jieba.posseg's default tokenizer (which _import_jieba left empty).
    word_tags = _cached_table("pos", _dictionary_file(jieba), _read_word_tags)
    posseg.dt.word_tag_tab = word_tags
    postokenizer = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
    postokenizer.tokenizer = tokenizer
    postokenizer.word_tag_tab = dict(word_tags)
    return KeywordExtractor(tokenizer, postokenizer, _idf_table())


def _import_jieba():
    """Import jieba and jieba.posseg without their import-time costs.

    ``jieba._compat`` imports the deprecated ``pkg_resources`` (≈ 0.3 s) only to open its data
    files, and falls back to plain ``open`` when that import fails: it is made to fail. Importing
    ``jieba.posseg`` parses the whole dictionary for its POS table (≈ 0.7 s); the table is read
    from a marshal cache by :func:`tfidf` instead, so the import is given an empty dictionary.
    """
    import io
    import sys
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        blocked = "pkg_resources" not in sys.modules and "jieba" not in sys.modules
        if blocked:
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # ImportError
        try:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            if "jieba.posseg" not in sys.modules:
                jieba.dt.get_dict_file = lambda: io.BytesIO(b"")
                try:
                    import jieba.posseg
                finally:
                    del jieba.dt.get_dict_file
            import jieba.posseg as posseg
        finally:
            if blocked:
                sys.modules.pop("pkg_resources", None)
    return jieba, posseg


def _dictionary_file(jieba) -> Path:
    return Path(jieba.__file__).parent / "dict.txt"


def _read_freq(source: Path):
    """(word → frequency with prefixes, total): what ``jieba.Tokenizer.gen_pfdict`` computes."""
    import jieba

    with source.open("rb") as f:
        return jieba.Tokenizer.gen_pfdict(f)


def _read_word_tags(source: Path) -> dict[str, str]:
    """word → part-of-speech tag, as ``jieba.posseg.POSTokenizer.load_word_tag`` reads it."""
    table = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        parts = line.strip().split(" ")
        if len(parts) == 3:
            table[parts[0]] = parts[2]
    return table


def _cached_table(kind: str, source: Path, read):
    """``read(source)``, kept in the user cache folder in marshal form (read as bytes and
    decoded with ``marshal.loads``: jieba's own ``marshal.load(file)`` is 2–4× slower), named
    by the SHA-256 of *source* (installations of the same jieba share it). One file per *kind*:
    that of an earlier dictionary is removed when a new one is written."""
    import hashlib
    import marshal

    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]  # 10 ms for jieba's dictionary
    cached = cache_dir() / f"{kind}-{digest}.marshal"
    if cached.exists():
        try:
            return marshal.loads(cached.read_bytes())
        except (EOFError, ValueError, TypeError):
            pass
    value = read(source)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(marshal.dumps(value))
    tmp.replace(cached)
    for stale in cached.parent.glob(f"{kind}-*.marshal"):  # of a dictionary since replaced
        if stale != cached:
            stale.unlink(missing_ok=True)
    return value


def _read_idf(source: Path) -> dict[str, float]:
    table = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        word, _, value = line.strip().partition(" ")
        if word and value:
            table[word] = float(value)
    return table


def _idf_table() -> dict[str, float]:
    """jieba's IDF table (``jieba/analyse/idf.txt``), cached in marshal form after first use."""
    import jieba

    return _cached_table("idf", Path(jieba.__file__).parent / "analyse" / "idf.txt", _read_idf)


def segment(text: str) -> list[str]:
    """Segment *text* with the project's dictionary.

    >>> segment("省发展改革委会同有关单位推进一带一路建设")[:2]
    ['省发展改革委', '会同']
    """
    return [w for w in tfidf().tokenizer.lcut(text) if w.strip()]


def keywords(text: str, top: int = 5) -> list[str]:
    """The *top* TF-IDF keywords of *text* (simplified script), best first, ties by first use.

    Only content words count (nouns, names, organisations, verbal nouns), not digits or the
    genre's stock phrases (:data:`STOP_WORDS`).
    """
    return tfidf().extract_tags(text, top=top, allow_pos=_CONTENT_POS)


#: Parts of speech that carry content: nouns, names, organisations, verbal nouns, idioms.
_CONTENT_POS = ("n", "ns", "nt", "nz", "nr", "nrt", "vn", "eng", "j", "l")


#: Bump when the keyword algorithm changes, so that cached keywords are recomputed.
KEYWORDS_VERSION = 1


def notice_keywords(sha256: str, texts: list[str], top: int = 5) -> list[list[str]]:
    """:func:`keywords` of each of a notice's item *texts*, cached by the notice's SHA-256.

    jieba takes about a second to load; a notice seen before needs none of it. The cache file
    (``keywords/<sha256>-<fingerprint>.json`` in the user cache folder) maps each item text to
    its keywords; the fingerprint covers everything the keywords depend on (this module's
    settings, jieba's version, the register, gazetteer and theme files), so any change to those
    computes them afresh. ``YUEGANG_KEYWORD_CACHE=0`` (or ``YUEGANG_CACHE=0``) switches the
    cache off.
    """
    import json

    from graph import _cache

    if not _cache.enabled("YUEGANG_KEYWORD_CACHE") or not sha256:
        return [keywords(t, top) for t in texts]
    path = cache_dir() / "keywords" / f"{sha256}-{_fingerprint(top)}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cached = {}
    if not isinstance(cached, dict):
        cached = {}
    missing = [t for t in dict.fromkeys(texts) if not isinstance(cached.get(t), list)]
    if missing:
        cached.update({t: keywords(t, top) for t in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(cached, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    return [list(cached[t]) for t in texts]


def _fingerprint(top: int) -> str:
    """16 hex digits of a hash over every input of the keywords except the text itself."""
    import hashlib
    from importlib import resources

    from graph import _cache

    digest = hashlib.sha256()
    settings = (KEYWORDS_VERSION, top, _cache.tools("jieba"), sorted(STOP_WORDS), _CONTENT_POS)
    digest.update(repr(settings).encode("utf-8"))
    data = resources.files("graph.extract") / "data"
    for name in ("agencies.csv", "places.csv", "themes.csv"):
        digest.update((data / name).read_bytes())
    return digest.hexdigest()[:16]
