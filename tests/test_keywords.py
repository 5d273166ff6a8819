"""Keyword cache: a notice seen before gets the same keywords without loading jieba."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from graph.extract import keywords

TEXTS = ["省发展改革委会同有关单位推进一带一路建设。", "推动粤港澳大湾区跨境金融合作。"]


def test_cached_keywords_equal_fresh_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(keywords, "cache_dir", lambda: tmp_path)
    fresh = [keywords.keywords(t) for t in TEXTS]
    assert any(fresh)  # positive control: the texts have keywords
    assert keywords.notice_keywords("ab" * 32, TEXTS) == fresh
    (cache,) = (tmp_path / "keywords").iterdir()
    assert cache.name.startswith("ab" * 32 + "-")
    assert keywords.notice_keywords("ab" * 32, TEXTS) == fresh


def test_cache_fills_in_texts_it_has_not_seen(tmp_path, monkeypatch):
    monkeypatch.setattr(keywords, "cache_dir", lambda: tmp_path)
    keywords.notice_keywords("cd" * 32, TEXTS[:1])
    (cache,) = (tmp_path / "keywords").iterdir()
    cache.write_text(json.dumps({TEXTS[0]: ["写入的"]}, ensure_ascii=False), encoding="utf-8")
    got = keywords.notice_keywords("cd" * 32, TEXTS)
    assert got == [["写入的"], keywords.keywords(TEXTS[1])]  # the cached entry is what is used


def test_second_extraction_does_not_load_jieba(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    code = (
        "import json, sys; from graph.extract.notice import extract_file; "
        "e = extract_file(None); "
        "print(json.dumps([sorted(sys.modules).count('jieba'), [i['keywords'] for i in e['items']]]))"
    )
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(2)
    ]
    assert runs[0][0] == 1 and runs[1][0] == 0  # jieba loaded the first time only
    assert runs[0][1] == runs[1][1] and any(runs[0][1])


def test_dictionary_tables_kept_once_per_dictionary(tmp_path, monkeypatch):
    """jieba's tables are kept by the content of their source: a reinstall of the same jieba
    (another file time) reuses them; a changed dictionary replaces the old file, which is not
    left behind."""
    import os

    from graph.extract import keywords as kw

    monkeypatch.setattr(kw, "cache_dir", lambda: tmp_path)
    source = tmp_path / "dict.txt"
    source.write_text("一 1 m\n", encoding="utf-8")
    reads = []

    def read(path):
        reads.append(path)
        return {"text": path.read_text(encoding="utf-8")}

    first = kw._cached_table("dict", source, read)
    os.utime(source, (1, 1))  # the same dictionary installed again
    assert kw._cached_table("dict", source, read) == first and len(reads) == 1
    source.write_text("二 1 m\n", encoding="utf-8")
    assert kw._cached_table("dict", source, read) == {"text": "二 1 m\n"} and len(reads) == 2
    assert len(list(tmp_path.glob("dict-*.marshal"))) == 1
