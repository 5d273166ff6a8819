"""The whole job in one call: notices → graph files, views, network exports, figures, report.

``yuegang build`` is a thin shell around :func:`build_all`; notebooks may call it too.

Layout of the output directory::

    graph.ttl  graph.jsonld  graph.nt      the knowledge graph (byte-identical for the same input)
    yuegang.ttl  shapes.ttl                the ontology and the SHACL shapes it was checked with
    ontology.html                          the ontology's documentation page
    notices/<name>.json                    what was extracted from each notice
    index.html                             start here: links every view, summary tables
    proof/<document slug>.html             proofreading page of each notice (what was read, flags)
    agencies.html  bipartite.html  themes.html  places.html   interactive views (offline)
    networks/agencies.{graphml,gexf,csv,json}  networks/{bipartite,themes,places}.{graphml,gexf}
    measures.csv  report.md  report.html  figures/*.png|svg    network findings
"""

from __future__ import annotations

import gc
import json
import shutil
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path("yuegang-out")


@dataclass
class BuildResult:
    """What :func:`build_all` wrote and found."""

    out: Path
    files: dict[str, Path] = field(default_factory=dict)
    triples: int = 0
    items: int = 0
    notices: int = 0
    conforms: bool = True
    report: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def index(self) -> Path | None:
        """The ``index.html`` that opens everything, if views were written."""
        return self.files.get("index")


def extract_all(
    files: list[Path | str | None], *, echo: Callable[[str], None] = lambda m: None
) -> list[dict]:
    """Extract each notice (None: the bundled one); warnings go to *echo* as ``file:line: …``."""
    extractions = [extraction for extraction, _ in _read_notices(files)]
    _echo_warnings(extractions, echo)
    return extractions


def _read_notices(files: list[Path | str | None]) -> list[tuple[dict, str]]:
    """``(extraction, text as read)`` of each file (None: the bundled notice); the proofreading
    pages mark up the very text the extraction was made from."""
    from graph.extract.notice import bundled_notice_path, extract_source
    from graph.extract.text import read_file

    read = [read_file(path if path is not None else bundled_notice_path()) for path in files]
    return [(extract_source(src), src.text) for src in read]


def _echo_warnings(extractions: list[dict], echo: Callable[[str], None]) -> None:
    for extraction in extractions:
        source = extraction["document"]["source"]
        for warning in extraction["warnings"]:
            where = f"{source}:{warning['line']}" if warning.get("line") else source
            echo(f"warning: {where}: {warning['message']}")


def build_all(
    files: list[Path | str | None] | None = None,
    out: Path | str = DEFAULT_OUT,
    *,
    views: bool = True,
    networks: bool = True,
    report: bool = True,
    endpoint: str | None = None,
    echo: Callable[[str], None] = lambda m: None,
    corrections: Path | str | None = None,
) -> BuildResult:
    """Extract *files*, build and validate the graph, and write everything into *out*.

    *corrections* is a corrections file (``document,item,list,note``; see
    :mod:`graph.extract.corrections`) applied to the extractions before the graph is built.

    Raises :class:`graph.errors.YuegangError` for a notice that cannot be read. Warnings (odd
    input, unknown units) are returned in ``BuildResult.warnings`` and passed to *echo*.
    """
    from graph.errors import ensure_output_dir

    out = Path(out)
    result = BuildResult(out=out)

    def note(message: str) -> None:
        result.warnings.append(message)
        echo(message)

    ensure_output_dir(out, ("notices", "networks", "figures"))  # fail before writing anything
    with _fewer_collections():
        return _build(
            files, out, result, note, views=views, networks=networks, report=report,
            endpoint=endpoint, corrections=corrections,
        )  # fmt: skip


def _build(
    files: list, out: Path, result: BuildResult, note: Callable[[str], None], *,
    views: bool, networks: bool, report: bool, endpoint: str | None, corrections,
) -> BuildResult:  # fmt: skip
    """:func:`build_all`'s work, once its output folder is known to be writable."""
    import pyoxigraph as ox

    from graph._workers import Worker
    from graph.rdf.build import FILES, GraphWarning, build_nt, ontology_path, write_graph
    from graph.rdf.validate import shapes_path

    # the notices are read, and three groups of outputs written, by workers on the other core
    # (graph._workers): the reader and the rdflib outputs are forked first (they need none of
    # the numerical libraries, which this process imports meanwhile), then the exports and
    # report, and the web pages
    sources = list(files or [None])
    rdf_worker = Worker(_warm_rdf)
    reader = Worker.started(_read_notices, sources)
    network_worker = views_worker = None
    try:
        _import_shared()
        network_worker = Worker(_warm_network) if networks or report else None
        views_worker = Worker(_warm_views) if views else None
        notices = reader.result()
        extractions = [extraction for extraction, _ in notices]
        _echo_warnings(extractions, note)
        if corrections is not None:
            extractions = _corrected(extractions, corrections, note)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", GraphWarning)
            nt = build_nt(extractions)  # sorted N-Triples: graph.nt as it is written
        for warning in caught:
            note(f"warning: {warning.message}")
        out.mkdir(parents=True, exist_ok=True)
        rdf_worker.submit(_rdf_outputs, nt, out)
        written = write_graph(nt, out, formats=("ttl", "nt"))
        files_: dict[str, Path] = {
            "turtle": written["ttl"],
            "jsonld": out / FILES["jsonld"],
            "ntriples": written["nt"],
        }
        for label, source in (("ontology", ontology_path()), ("shapes", shapes_path())):
            files_[label] = Path(shutil.copyfile(source, out / source.name))
        files_.update(_write_notices(extractions, out / "notices"))
        files_["ontology_docs"] = out / ONTOLOGY_DOCS  # dropped below if the page was not made
        from graph.network.measures import with_measures
        from graph.network.networks import agency_network, load_corpus

        # read the RDF and compute the measures once for the exports, the report and the views
        store = ox.Store()  # the networks read Oxigraph's store (fast at any size)
        store.load(nt, format=ox.RdfFormat.N_TRIPLES)
        corpus = load_corpus(store)
        agencies = with_measures(agency_network(corpus))
        if network_worker is not None:
            network_worker.submit(_network_outputs, corpus, agencies, out, networks, report)
        expected = dict(files_)
        if networks:
            expected["network:agencies.graphml"] = out / "networks" / "agencies.graphml"
        if report:
            expected.update({f"report:{k}": out / name for k, name in REPORT_FILES.items()})
        if views_worker is not None:
            links = _index_links(expected, out)
            texts = [text for _, text in notices]
            views_worker.submit(
                _view_outputs, texts, extractions, corpus, agencies, out, endpoint, links
            )
        checked = rdf_worker.result()
        if network_worker is not None:
            files_.update(network_worker.result())
        if views_worker is not None:
            files_.update(views_worker.result())
    finally:
        for worker in (rdf_worker, reader, network_worker, views_worker):
            if worker is not None:
                worker.close()
    if checked["ontology_docs"] is None:
        files_.pop("ontology_docs", None)
    result.files.update(files_)
    result.conforms, result.report = checked["conforms"], checked["report"]
    result.triples, result.notices = checked["triples"], len(extractions)
    result.items = sum(len(e["items"]) for e in extractions)
    return result


#: what a worker's warm-up made ahead for its call (in the worker's process)
_WARMED: dict[str, Any] = {}
#: the report's files by key, as :func:`graph.network.report.write_report` names them
REPORT_FILES = {"markdown": "report.md", "html": "report.html", "measures": "measures.csv"}
ONTOLOGY_DOCS = "ontology.html"


@contextmanager
def _fewer_collections(threshold: int = 100_000):
    """Run the garbage collector's youngest generation every *threshold* allocations instead of
    every 700 while building: a build allocates millions of objects that live until it ends
    (about 10 % of its CPU time went to collecting them)."""
    before = gc.get_threshold()
    gc.set_threshold(threshold, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _import_shared() -> None:
    """Import, before the workers are forked, what this process and more than one worker use,
    so that it is imported once (numpy, networkx, scipy.sparse: 0.4-0.5 s)."""
    import networkx  # noqa: F401
    import numpy  # noqa: F401
    from scipy import sparse  # noqa: F401


def _warm_rdf() -> None:
    """What :func:`_rdf_outputs` reads, loaded while the notices are read: the ontology page
    (it shows the bundled ontology only) and the SHACL check's fingerprint (pyshacl itself is
    imported only for a graph not checked before: :func:`graph.rdf.validate.validate_nt`)."""
    from graph.rdf import validate

    validate.fingerprint()
    _WARMED["ontology_html"] = _ontology_page()


def _rdf_outputs(nt: bytes, out: Path) -> dict:
    """graph.jsonld, the ontology page and the SHACL check (the check needs rdflib and pyshacl
    unless the graph was checked before)."""
    from graph.rdf.build import FILES, serialize_jsonld
    from graph.rdf.validate import validate_nt

    (out / FILES["jsonld"]).write_bytes(serialize_jsonld(nt))
    docs = _write_ontology_docs(out)
    conforms, report, triples = validate_nt(nt)
    return {"conforms": conforms, "report": report, "triples": triples, "ontology_docs": docs}


def _warm_network() -> None:
    """Imports of :func:`_network_outputs` (matplotlib only when a figure is not in the figure
    cache: :mod:`graph.network.figure_cache`; pandas for the report's ranked tables)."""
    import pandas  # noqa: F401

    from graph.network import csv_table, exports, report  # noqa: F401


def _network_outputs(corpus, agencies, out: Path, networks: bool, report: bool) -> dict[str, Path]:
    """The network exports (``networks/``) and the report with its figures and measures."""
    files: dict[str, Path] = {}
    if networks:
        files.update(_write_networks(corpus, agencies, out / "networks"))
    if report:
        from graph.network.report import write_report

        for key, path in write_report(corpus, out, agencies=agencies).items():
            files[f"report:{key}"] = path
    return files


def _warm_views() -> None:
    """Imports of :func:`_view_outputs` (the page templates; scipy.optimize, for Kamada–Kawai,
    only when a layout is not in the layout cache)."""
    from graph.views import proof, render  # noqa: F401
    from graph.views.page import preload

    preload()


def _view_outputs(
    texts: list[str], extractions: list[dict], corpus, agencies, out: Path, endpoint, links: list
) -> dict[str, Path]:
    """The proofreading pages, the four views and index.html."""
    from graph.views.proof import write_proof_pages
    from graph.views.render import VIEW_FILES, write_all_views

    proofs = write_proof_pages(list(zip(extractions, texts, strict=True)), out / "proof")
    files: dict[str, Path] = {f"proof:{p.slug}": p.path for p in proofs}
    links = links + _proof_links(proofs, out)
    files["index"] = write_all_views(corpus, out, endpoint=endpoint, links=links, agencies=agencies)
    for view, name in VIEW_FILES.items():
        files[f"view:{view}"] = out / name
    return files


_LINKS = (  # (file key, title, description) of the cards index.html adds for other outputs
    (
        "report:html",
        "网络分析报告 Network report",
        "主要指标与图表 key measures, tables and figures",
    ),
    ("ontology_docs", "本体文档 Ontology", "类与属性（中英文） classes and properties, zh/en"),
    ("turtle", "知识图谱 Graph (Turtle)", "graph.ttl: 用 SPARQL 查询 query with SPARQL"),
    ("network:agencies.graphml", "Gephi 文件 Gephi file", "networks/agencies.graphml (also .gexf)"),
    ("report:measures", "指标表 Measures (CSV)", "measures.csv: 每个单位一行 one row per agency"),
)


def _index_links(files: dict[str, Path], out: Path) -> list[dict[str, str]]:
    return [
        {"href": files[key].relative_to(out).as_posix(), "title": title, "description": text}
        for key, title, text in _LINKS
        if key in files
    ]


def _corrected(
    extractions: list[dict], path: Path | str, note: Callable[[str], None]
) -> list[dict]:
    """The extractions with the corrections file at *path* applied; its warnings go to *note*."""
    from graph.extract.corrections import apply_corrections, read_corrections

    corrected, warned = apply_corrections(extractions, read_corrections(path))
    for w in warned:
        note(f"warning: {w['source']}:{w['line']}: {w['message']}")
    return corrected


def _proof_links(proofs: list, out: Path) -> list[dict[str, str]]:
    return [
        {
            "href": p.path.relative_to(out).as_posix(),
            "title": f"校对 Proofreading · {p.label}",
            "description": f"原文与提取结果对照 the text as read: {p.items} 项 items, {p.units} 个单位 "
            f"units, {p.flagged} 项待核 flagged, {p.corrected} 项已校正 corrected",
        }
        for p in proofs
    ]


def _write_notices(extractions: list[dict], folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written, used = {}, set()
    for extraction in extractions:
        stem = Path(extraction["document"]["source"]).stem or "notice"
        name, n = stem, 1
        while name in used:
            n += 1
            name = f"{stem}-{n}"
        used.add(name)
        path = folder / f"{name}.json"
        path.write_text(
            json.dumps(extraction, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        written[f"notice:{name}"] = path
    return written


def _write_networks(corpus, agencies, folder: Path) -> dict[str, Path]:
    from graph.network import networks
    from graph.network.exports import FORMATS, write_network, write_networks

    written = {}
    for path in write_networks(agencies, [folder / f"agencies.{f}" for f in FORMATS]):
        written[f"network:{path.name}"] = path
    for name, build in (
        ("bipartite", networks.bipartite_network),
        ("themes", networks.theme_network),
        ("places", networks.place_network),
    ):
        G = build(corpus)
        for fmt in ("graphml", "gexf"):
            written[f"network:{name}.{fmt}"] = write_network(G, folder / f"{name}.{fmt}")
    return written


def _ontology_docs_available() -> bool:
    try:
        import graph.rdf.ontology_docs  # noqa: F401
    except ImportError:  # the documentation stage is optional
        return False
    return True


class _NoOntologyDocs(Exception):
    pass


def _ontology_page() -> str | None:
    """The bundled ontology's documentation page (None without the documentation stage).

    It shows bundled files only, so it is kept in the user cache folder (:mod:`graph._cache`)
    by the ontology, the page's code and the tools: rendering needs rdflib and jinja2 (0.3 s).
    """
    import importlib.util

    from graph import _cache
    from graph.rdf.build import ontology_path

    spec = importlib.util.find_spec("graph.rdf.ontology_docs")
    if spec is None or spec.origin is None:
        return None

    def render() -> str:
        if not _ontology_docs_available():
            raise _NoOntologyDocs
        from graph.rdf.ontology_docs import render_ontology_html

        return render_ontology_html()

    entry = _cache.key(
        ontology_path().read_bytes(),
        Path(spec.origin).read_bytes(),
        _cache.tools("rdflib", "jinja2"),
    )
    try:
        return _cache.remembered("pages", "YUEGANG_CACHE", entry, render)
    except _NoOntologyDocs:
        return None


def _write_ontology_docs(out: Path) -> Path | None:
    html = _WARMED.pop("ontology_html", None) or _ontology_page()
    if html is None:
        return None
    path = out / ONTOLOGY_DOCS
    path.write_bytes(html.encode("utf-8"))
    return path
