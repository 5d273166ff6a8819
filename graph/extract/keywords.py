"""Keywords with jieba: a user dictionary built from the register, the gazetteer and the themes,
so that 省发展改革委, 前海 or 一带一路 stay single tokens, and TF-IDF top keywords per item.

jieba costs about a second to load its dictionary, so it is loaded once per process, on first
use; its cache file lives in the user cache directory and its log lines are silenced.
"""

from __future__ import annotations

import logging
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
    """Where jieba keeps its dictionary cache (the user cache directory)."""
    from platformdirs import user_cache_dir

    path = Path(user_cache_dir("yuegang-graph"))
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
    import warnings

    with warnings.catch_warnings():  # jieba imports the deprecated pkg_resources
        warnings.simplefilter("ignore")
        import jieba
        import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_dir())
    tokenizer.initialize()
    for word in user_words():
        tokenizer.add_word(word, freq=2000, tag="nt")
    # Share the POS table that importing jieba.posseg already loaded (same dictionary file)
    # instead of parsing it again with POSTokenizer(tokenizer).
    postokenizer = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    postokenizer.tokenizer = tokenizer
    postokenizer.word_tag_tab = jieba.posseg.dt.word_tag_tab
    return KeywordExtractor(tokenizer, postokenizer, _idf_table())


def _idf_table() -> dict[str, float]:
    """jieba's IDF table (``jieba/analyse/idf.txt``), cached in marshal form after first use."""
    import marshal

    import jieba

    source = Path(jieba.__file__).parent / "analyse" / "idf.txt"
    stat = source.stat()
    cached = cache_dir() / f"idf-{stat.st_size}-{int(stat.st_mtime)}.marshal"
    if cached.exists():
        try:
            return marshal.loads(cached.read_bytes())
        except (EOFError, ValueError, TypeError):
            pass
    table = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        word, _, value = line.strip().partition(" ")
        if word and value:
            table[word] = float(value)
    tmp = cached.with_suffix(".tmp")
    tmp.write_bytes(marshal.dumps(table))
    tmp.replace(cached)
    return table


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
