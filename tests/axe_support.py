"""axe-core in Chromium: the vendored script (tests/vendor/axe.min.js, from npm), one audit
of the open page, and the table of counts the accessibility test writes."""

import json
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE = VENDOR / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
OUTPUT = Path(__file__).resolve().parent.parent / "test-output" / "axe"
# WCAG 2.0 and 2.1 at levels A and AA, plus Deque's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
IMPACTS = ["critical", "serious", "moderate", "minor"]
BLOCKING = {"critical", "serious"}

RUN = """options => axe.run(document, options).then(result => result.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                            summary: n.failureSummary})),
})))"""


def install_axe(page):
    """axe-core in every document the page opens from now on.

    An init script is given to Chromium over the DevTools protocol and runs before the
    page's own scripts, outside the page's CSP (script-src 'self' forbids the inline
    <script> that add_script_tag makes), so the pages are audited under their real policy.
    """
    page.context.add_init_script(path=str(AXE))


def audit(page):
    """The open page's violations (each with its nodes), as axe-core reports them."""
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    return page.evaluate(RUN, options)


def counts(violations):
    """Failing elements per impact (one rule failing on three links counts three)."""
    found = dict.fromkeys(IMPACTS, 0)
    for violation in violations:
        found[violation["impact"]] += len(violation["nodes"])
    return found


def blocking(violations):
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(name, lang, violations):
    lines = []
    for v in violations:
        lines.append(f"{name} [{lang}] {v['impact']} {v['id']}: {v['help']}")
        lines += [f"    {n['target']}: {n['html']}" for n in v["nodes"][:5]]
    return "\n".join(lines)


def save_results(lang, results, order=()):
    """Keep one column's results ({page type: violations}, merged over those of the
    column's other tests; a column is a language, "ru" or "ru dark") and rewrite the table."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{lang}.json"
    kept = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**kept, **results}, ensure_ascii=False, indent=1))
    table = counts_table(order)
    (OUTPUT.parent / "axe-counts.md").write_text(table)
    return table


def counts_table(order=()):
    """Markdown: failing elements per page type and impact, each language and colour
    scheme on its own (critical / serious / moderate / minor), and which rules failed."""
    measured = {}
    for path in sorted(OUTPUT.glob("*.json")):
        measured[path.stem] = json.loads(path.read_text())
    columns = [f"{lang}{scheme}" for scheme in ("", " dark") for lang in ("ru", "az", "en")]
    langs = [column for column in columns if column in measured]
    found = {name for lang in langs for name in measured[lang]}
    names = [name for name in order if name in found] + sorted(found - set(order))
    head = "| page type | " + " | ".join(langs) + " | rules |"
    lines = [
        f"axe-core {AXE_VERSION}, tags {', '.join(TAGS)}; failing elements per impact as "
        "critical / serious / moderate / minor.",
        "",
        head,
        "|" + "---|" * (len(langs) + 2),
    ]
    for name in names:
        cells, rules = [], set()
        for lang in langs:
            violations = measured[lang].get(name)
            if violations is None:
                cells.append("—")
                continue
            cells.append(" / ".join(str(n) for n in counts(violations).values()))
            rules |= {f"{v['id']} ({v['impact']})" for v in violations}
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {', '.join(sorted(rules))} |")
    return "\n".join(lines) + "\n"
