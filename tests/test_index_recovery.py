"""A writer killed in the middle of a commit, and an index broken on disk: the next
start finds out and repairs it from the database, which loses nothing. Real
processes (manage.py on a scratch SQLite database and index) and a real SIGKILL."""

import io
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.utils import timezone
from whoosh import index as whoosh_index

from search.engines.whoosh import generations as layout
from search.engines.whoosh import searching as engine
from search.models import IndexEvent

from .factories import ArticleFactory
from .scratch_support import ROOT, run_manage, scratch_env
from .search_support import api

ARTICLES = 300

# Rewrites every article's document again and again, printing a line as each commit
# starts, so the test can kill it inside one.
WRITER = """
import sys
from whoosh import writing
from archive.models import Article
from search import indexing

for cls in (writing.SegmentWriter, writing.MpWriter):
    def commit(self, *args, _real=cls.commit, **kwargs):
        print("commit", flush=True)
        return _real(self, *args, **kwargs)
    cls.commit = commit

pks = list(Article.objects.values_list("pk", flat=True))
print("ready", flush=True)
while True:
    indexing.write(pks, 10)
"""


@pytest.fixture
def scratch(tmp_path):
    env = scratch_env(tmp_path, LOG_LEVEL="ERROR")

    def manage(*args, check=True):
        return run_manage(env, *args, check=check)

    manage("migrate", "--verbosity", "0")
    manage("generate_articles", "--count", str(ARTICLES), "--words", "60", "--verbosity", "0")
    manage.env = env
    manage.index = tmp_path / "whoosh_index"
    return manage


def published(manage):
    out = manage(
        "shell", "-c", "from archive.models import Article; print(Article.objects.count())"
    ).stdout
    return int(out.split()[-1])


def kill_mid_commit(manage, delay):
    writer = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", WRITER],
        cwd=ROOT,
        env=manage.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its MpWriter sub-processes die with it
    )
    try:
        for line in writer.stdout:  # shell may announce its imports first
            if line.strip() == "ready":
                break
        commits = 0
        for line in writer.stdout:
            if line.strip() == "commit":
                commits += 1
                if commits == 2:  # the second commit: the index has a history
                    time.sleep(delay)
                    break
    finally:
        os.killpg(writer.pid, signal.SIGKILL)
        writer.wait()


@pytest.mark.any_database  # the scratch fixture's SQLite database, whatever the run's
@pytest.mark.parametrize("delay", [0.0, 0.005, 0.02, 0.08])
def test_a_writer_killed_in_a_commit_loses_nothing_and_the_next_start_recovers(scratch, delay):
    kill_mid_commit(scratch, delay)
    # The next start: check_index --repair (make run does it) then a reconciliation.
    check = scratch("check_index", "--repair")
    assert "Search index usable" in check.stdout or "rebuilt from the database" in check.stdout
    assert scratch("check_index").returncode == 0
    reconcile = scratch("reconcile_index")
    assert f"{ARTICLES} published articles" in reconcile.stdout
    assert f"{ARTICLES} after" in reconcile.stdout
    assert scratch("reconcile_index", "--check", check=False).returncode == 0
    assert published(scratch) == ARTICLES  # the database lost nothing


def break_a_segment(index_path, suffix=".pst"):
    """Empty one segment file of the live generation (postings by default), as a crash
    before its data reached the disk would leave it."""
    live = Path(layout.live_dir(index_path))
    victim = max(live.glob(f"*{suffix}"), key=lambda p: p.stat().st_size)
    victim.write_bytes(b"")
    return victim


@pytest.mark.any_database
@pytest.mark.parametrize("suffix", [".pst", ".trm", "_stored.col", "django_id.col"])
def test_a_broken_index_is_found_and_rebuilt_by_check_index(scratch, suffix):
    before = layout.live_dir(scratch.index)
    break_a_segment(scratch.index, suffix)
    broken = scratch("check_index", check=False)
    assert broken.returncode == 1
    assert "The search index is unusable" in broken.stderr
    assert "check_index --repair" in broken.stderr
    repaired = scratch("check_index", "--repair")
    assert "rebuilt from the database: 300 articles" in repaired.stdout
    assert layout.live_dir(scratch.index) != before  # a new generation, switched in
    assert "300 documents" in scratch("check_index").stdout
    assert scratch("reconcile_index", "--check", check=False).returncode == 0


def damage_a_postings_block(index_path, damage, term="конвенция"):
    """Damage the data of the term's first postings block, leaving Whoosh's own
    framing intact, so the failure happens in our codec rather than in Whoosh:
    "scrambled" overwrites search.engines.whoosh.codec's header (first id, id and weight widths)
    with 0xFF; "shifted" moves the first id past the segment's documents, which
    still decodes; "positions" breaks the packed positions, which only phrases read."""
    live = layout.live_dir(index_path)
    ix = whoosh_index.open_dir(live)
    with ix.reader() as reader:
        leaf = next(leaf for leaf, _offset in reader.leaf_readers() if ("text", term) in leaf)
        offset, _length = leaf._terms.term_info("text", term.encode()).extent()
        postings = Path(live) / leaf.segment().make_filename(".pst")
    with postings.open("r+b") as f:
        f.seek(offset + 8)  # past the term's magic and the block's length
        info = io.BytesIO(f.read(4096))
        count = pickle.load(info)[0]  # the block's info tuple: postings first
        data = offset + 8 + info.tell()
        f.seek(data)
        _first, id_width, weight_width = struct.unpack("<IBB", f.read(6))
        if damage == "scrambled":
            f.seek(data)
            f.write(b"\xff" * 6)
        elif damage == "shifted":
            f.seek(data)
            f.write(struct.pack("<I", 1000))
        else:
            f.seek(data + 6 + (count - 1) * id_width + count * weight_width)
            f.write(b"\x00" * 4)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage", ["emptied", "scrambled", "shifted", "positions"])
def test_a_reader_who_finds_the_index_broken_gets_a_503_and_search_repairs_itself(
    client, search_index, settings, damage
):
    settings.SEARCH_AUTO_REPAIR = True
    for n in range(3):
        ArticleFactory(title_ru=f"Конвенция кибербезопасности {n}")
    engine.searchers.reset()
    if damage == "emptied":
        break_a_segment(search_index.path)
    else:
        damage_a_postings_block(search_index.path, damage)
    # Positions are read by phrases only; the index check does not unpack them, so
    # the repair has to try the reader's own search again to see the damage.
    q = '"конвенция кибербезопасности"' if damage == "positions" else "конвенция"
    if damage == "positions":
        assert api(client, q="конвенция")["count"] == 3
    first = client.get("/api/search/", {"q": q})
    assert first.status_code == 503
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        response = client.get("/api/search/", {"q": q})
        if response.status_code == 200:
            break
        assert response.status_code == 503
        time.sleep(0.1)
    assert len(api(client, q=q)["results"]) == 3
    # Readers see the new index as soon as it is switched in; the repair then drains the
    # queue, reconciles and records itself. Wait for its thread before reading the record.
    for thread in threading.enumerate():
        if thread.name == "index-repair":
            thread.join(60)
            assert not thread.is_alive()
    assert IndexEvent.objects.filter(kind="repair").exists()
    engine.searchers.reset()


def test_generations_made_in_one_microsecond_are_distinct_and_in_order(tmp_path, monkeypatch):
    """A frozen or coarse clock (tests freeze timezone.now; rebuild_index under it) gives
    every generation the same stamp: each still gets its own directory, and their names
    sort in the order they were made, which prune() relies on to keep the newest."""
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    path = tmp_path / "whoosh_index"
    made = []
    for _ in range(12):
        made.append(layout.new_generation(path))
        layout.switch_to(path, made[-1])
    assert len(set(made)) == 12
    assert sorted(made) == made
    layout.prune(path)
    kept = sorted(str(p) for p in layout.generations_dir(path).iterdir())
    assert kept == made[-2:]  # the live one and the one before
