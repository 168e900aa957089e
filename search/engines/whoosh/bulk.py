"""Writing many articles in large commits (imports, demo content, rebuilds)."""

from archive.bulk import batched

from . import backend as backend_module


class Chunks:
    """The index queryset for many pks, read `size` pks at a time. haystack's
    backend.update() takes it as one iterable: one writer, one commit."""

    def __init__(self, queryset, pks, size, progress=None):
        self.queryset, self.pks, self.size = queryset, pks, size
        self.progress = progress or (lambda n: n)

    def __len__(self):
        return len(self.pks)

    def __iter__(self):
        for chunk in batched(self.pks, self.size):
            yield from self.queryset.filter(pk__in=chunk)
            self.progress(len(chunk))


def update_in_parts(backend, index, pks, batch_size, progress=None):
    """Write these articles with `backend`, one commit per SEGMENT_DOCS of them (see
    backend), reading `batch_size` rows at a time. `progress(n)` hears of
    every batch written and, with n=0, of every commit (benchmark_search times them)."""
    for part in batched(pks, backend_module.SEGMENT_DOCS):
        backend.update(index, Chunks(index.index_queryset(), part, batch_size, progress))
        if progress:
            progress(0)
