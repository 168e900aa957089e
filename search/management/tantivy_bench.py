"""Tantivy beside the archive's search, for benchmark_search: a compiled engine fed the
archive's own analysis, asked the same queries, as a floor to measure the endpoint by.

Benchmark-only (requirements-bench.txt): without the `tantivy` package the command says
so and leaves the comparison out. The index holds what readers see
(Article.objects.published()), each language's text as the engines receive it
(search.analysis.pre_analyzed), and the stored fields a result shows: id, title, slug,
date, rubric, tags and the snippet's source text. A query is our parser's (search.query):
every group required, each word as its lemma terms in each language field, synonyms as
alternatives; it is scored by BM25 summed over its terms, as both of our engines score.
Each answer is the top 20 with their stored documents and a snippet (SnippetGenerator).
"""

import os
import time
from dataclasses import dataclass
from importlib import metadata

from django.utils import timezone

from search.analysis import positioned_terms, pre_analyzed, term_forms
from search.models import synonym_map
from search.query import (
    LANGUAGE_FIELDS,
    ParsedQuery,
    join_synonym_phrases,
    parse,
    searchable_in,
    synonyms_for,
)
from search.search_indexes import ArticleIndex
from search.service import PER_PAGE

from .engine_bench import FIRST, WARM_UP, JsonRun, directory_mb

try:
    import tantivy
except ImportError:  # benchmark-only: the command says it is missing
    tantivy = None

# Texts go in as pre_analyzed writes them, `|` made a space, for Tantivy's whitespace
# tokenizer: one token per term, so lengths count every term as our BM25 does; a second lemma
# takes the next position (stacking them needs a Python object per token), which only phrases
# would notice. A regex tokenizer splitting on `|` made Tantivy's snippets 4x slower.
TOKENIZER = "archive_terms"
SNIPPET_FIELD = "snippet_ru"
SNIPPET_CHARS = 240  # search.highlight.snippet's width
WRITER_HEAP = 64_000_000  # bytes; one indexing thread: the machine is shared


def version():
    """The installed Tantivy's version, or None when the package is missing."""
    return metadata.version("tantivy") if tantivy else None


def _schema():
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True)
    for name in LANGUAGE_FIELDS.values():
        builder.add_text_field(name, tokenizer_name=TOKENIZER)
    # The snippet's source, as lemma terms: the generator re-reads it with the field's
    # tokenizer, which cannot lemmatize, so marks land on terms, not on the words read.
    builder.add_text_field(SNIPPET_FIELD, stored=True, tokenizer_name=TOKENIZER)
    for name in ("title", "slug", "rubric", "tags"):
        builder.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_date_field("published_at", stored=True)
    return builder.build()


def _document(index, article):
    doc = tantivy.Document()
    doc.add_integer("id", article.pk)
    for lang, name in LANGUAGE_FIELDS.items():
        prepared = getattr(index, f"prepare_{name}")(article)
        doc.add_text(name, pre_analyzed(lang, prepared).replace("|", " "))
    source = index.prepare_body_ru(article) or ""
    doc.add_text(SNIPPET_FIELD, " ".join(t for ts in positioned_terms("ru", source) for t in ts))
    doc.add_text("title", article.title_ru or "")
    doc.add_text("slug", article.slug)
    doc.add_date("published_at", index.prepare_published_at(article))
    if rubric := index.prepare_rubric(article):
        doc.add_text("rubric", rubric)
    for tag in index.prepare_tags(article):
        doc.add_text("tags", tag)
    return doc


@dataclass
class Built:
    documents: int
    seconds: float
    size_mb: float
    segments: int


class TantivyArchive:
    """A Tantivy index of the published articles in `path`, and its searcher."""

    def __init__(self, path):
        self.path = str(path)
        os.makedirs(self.path, exist_ok=True)
        self.schema = _schema()
        self.index = tantivy.Index(self.schema, path=self.path)
        terms = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
        self.index.register_tokenizer(TOKENIZER, terms)
        self.searcher = None

    def build(self, progress=None, chunk=1000):
        """Analyse and add every article readers see, one commit, merges awaited:
        Built, the analysis (Python, as the archive's own build) included."""
        started = time.perf_counter()
        articles = ArticleIndex().index_queryset().filter(published_at__lte=timezone.now())
        prepare, count = ArticleIndex(), 0
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        for article in articles.iterator(chunk_size=chunk):
            writer.add_document(_document(prepare, article))
            count += 1
            if progress and count % chunk == 0:
                progress(chunk)
        if progress and count % chunk:
            progress(count % chunk)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        seconds = time.perf_counter() - started
        return Built(count, seconds, directory_mb(self.path), self.searcher.num_segments)

    # --- queries ---------------------------------------------------------------------

    def _clause(self, clause, lang, scored, marks):
        """The clause in one language field (as the engines' clause queries), or None."""
        if not searchable_in(lang, clause):
            return None  # the Azerbaijani and English texts are in Latin script
        if clause.prefix:
            # Our engines bound a prefix by its most frequent words; the drawn queries
            # have none, so nothing here has to match that.
            raise ValueError(f"the Tantivy comparison takes no prefixes: {clause.text}")
        name = LANGUAGE_FIELDS[lang]
        Q, Occur = tantivy.Query, tantivy.Occur
        positions = [forms for w in clause.words if (forms := term_forms(lang, w))]
        if not positions:
            return None  # stop words only
        for forms in positions:
            scored.update(((name, form), None) for form in forms)
            if lang == "ru":
                marks.update(dict.fromkeys(forms))
        # A phrase is its words in any order here (see TOKENIZER). Should over term
        # queries, not a term set: Tantivy builds a term set's automaton
        # anew for each search (0.3 ms on 300 articles against 0.01).
        words = [self._any([Q.term_query(self.schema, name, f) for f in fs]) for fs in positions]
        return words[0] if len(words) == 1 else Q.boolean_query([(Occur.Must, q) for q in words])

    def _any(self, parts):
        parts = [p for p in parts if p is not None]
        if len(parts) < 2:
            return parts[0] if parts else None
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, p) for p in parts])

    def query(self, parsed: ParsedQuery, synonyms):
        """(the Tantivy query, the snippet's query) for our parsed query, or (None, None)."""
        Q, Occur = tantivy.Query, tantivy.Occur
        scored, marks, required = {}, {}, []
        groups = join_synonym_phrases(parsed.groups, synonyms) if synonyms else parsed.groups
        for group in groups:
            variants = [v for clause in group for v in [clause, *synonyms_for(clause, synonyms)]]
            alternatives = [
                self._clause(variant, lang, scored, marks)
                for variant in variants
                for lang in LANGUAGE_FIELDS
            ]
            if (q := self._any(alternatives)) is not None:
                required.append(q)
        if not required:
            return None, None
        occur = Occur.Should if parsed.match_any else Occur.Must
        clauses = [(occur, q) for q in required]
        for clause in parsed.excluded:  # neither scored nor marked
            parts = [self._clause(clause, lang, {}, {}) for lang in LANGUAGE_FIELDS]
            if (q := self._any(parts)) is not None:
                clauses.append((Occur.MustNot, q))
        # Which articles match is a filter; the score is BM25 over every (field, term)
        # once, as postings.bm25_scores (Whoosh) and the OpenSearch queries score.
        matching = Q.const_score_query(Q.boolean_query(clauses), 0.0)
        terms = [Q.term_query(self.schema, f, t) for f, t in scored]
        query = Q.boolean_query([(Occur.Must, matching), *((Occur.Should, q) for q in terms)])
        snippet_terms = [Q.term_query(self.schema, SNIPPET_FIELD, t) for t in marks]
        return query, self._any(snippet_terms) or Q.empty_query()

    def search(self, parsed, synonyms, limit=PER_PAGE, parts=None):
        """(total, hits): the top `limit` with their stored fields and a snippet; with a
        `parts` dict, the seconds of each step are added to it."""
        clock = [time.perf_counter()]

        def lap(part):
            if parts is not None:
                clock.append(time.perf_counter())
                parts[part] = parts.get(part, 0.0) + clock[-1] - clock[-2]

        query, marked = self.query(parsed, synonyms)
        if query is None:
            return 0, []
        lap("query")
        searcher = self.searcher
        found = searcher.search(query, limit=limit, count=True)
        lap("search")
        snippets = tantivy.SnippetGenerator.create(searcher, marked, self.schema, SNIPPET_FIELD)
        snippets.set_max_num_chars(SNIPPET_CHARS)
        docs = [searcher.doc(address) for _score, address in found.hits]
        lap("documents")
        hits = [
            {
                "id": doc.get_first("id"),
                "title": doc.get_first("title"),
                "slug": doc.get_first("slug"),
                "published_at": doc.get_first("published_at"),
                "rubric": doc.get_first("rubric"),
                "tags": doc.get_all("tags"),
                "snippet": snippets.snippet_from_doc(doc).to_html(),
            }
            for doc in docs
        ]
        lap("snippets")
        return found.count, hits


def time_searches(archive: TantivyArchive, queries) -> JsonRun:
    """Each query as text through our parser to Tantivy's top 20, stored documents and
    snippets, after a warm-up; the first ids and counts, to compare with the engine's."""
    synonyms = synonym_map()
    for q in queries[:WARM_UP]:
        archive.search(parse(q), synonyms)
    run = JsonRun()
    for q in queries:
        started = time.perf_counter()
        total, hits = archive.search(parse(q), synonyms)
        run.times.add(time.perf_counter() - started)
        run.firsts.append([hit["id"] for hit in hits[:FIRST]])
        run.counts.append(total)
    return run


def parts(archive: TantivyArchive, queries):
    """{step: mean ms a query} over one more pass: the query built from our parser's
    terms, the search, the stored documents, the snippets."""
    synonyms, seconds = synonym_map(), {}
    for q in queries:
        archive.search(parse(q), synonyms, parts=seconds)
    return {part: s * 1000 / len(queries) for part, s in seconds.items()}
