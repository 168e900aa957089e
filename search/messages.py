"""What the index code reports (health checks, index events), said twice: in English,
as the message itself, which logs, commands and tests read; and in the editor's
language on the admin's status page.

A Said is that English str, remembering its template and values, so the admin can
translate it; an IndexEvent keeps them (IndexEvent.details) to translate it later.
"""

from django.utils.translation import gettext, gettext_noop

TEMPLATES = {
    # Health: why the index cannot be used.
    "no-index": gettext_noop("no search index at {path}"),
    "missing-fields": gettext_noop("the index has no field {fields}: rebuild it"),
    "no-lengths": gettext_noop("{fields} keep no exact lengths: rebuild the index"),
    "old-analysis-fields": gettext_noop(
        "{fields} hold terms of an older analysis: rebuild the index"
    ),
    "old-analysis": gettext_noop("the index holds terms of an older analysis: rebuild it"),
    "unreadable": gettext_noop("the index cannot be read ({exception}: {detail})"),
    "no-alias-index": gettext_noop("no index behind the alias {alias}"),
    "alias-ambiguous": gettext_noop("the alias {alias} names {count} indices: {names}"),
    "shards-missing": gettext_noop("primary shards of {index} are missing (cluster status red)"),
    "field-not-analysed": gettext_noop(
        "the field {name} is not analysed as the archive's terms: rebuild it"
    ),
    "cluster-unreachable": gettext_noop("the cluster could not answer: {error}"),
    # Index events.
    "write-failed": gettext_noop("{count} article(s) queued for retry: {error}"),
    "reconciled-fixed": gettext_noop(
        "{published} published articles, {before} documents in the index before, {after} "
        "after; fixed: {missing} missing{missing_ids}, {stale} outdated{stale_ids}, {extra} "
        "not published{extra_ids}; {queued} queued updates written; {seconds} s"
    ),
    "reconciled-found": gettext_noop(
        "{published} published articles, {before} documents in the index before, {after} "
        "after; found: {missing} missing{missing_ids}, {stale} outdated{stale_ids}, {extra} "
        "not published{extra_ids}; {queued} queued updates written; {seconds} s"
    ),
    "rebuilt": gettext_noop(
        "{documents} documents in {seconds} s; {caught_up} changes made during the build "
        "written after the switch. {summary}"
    ),
}


class Said(str):
    def __new__(cls, code, **values):
        said = super().__new__(cls, TEMPLATES[code].format(**values))
        said.code, said.values = code, values
        return said

    def translated(self):
        """The message in the active language."""
        values = {k: v.translated() if isinstance(v, Said) else v for k, v in self.values.items()}
        return gettext(TEMPLATES[self.code]).format(**values)

    def as_data(self):
        values = {k: v.as_data() if isinstance(v, Said) else v for k, v in self.values.items()}
        return {"code": self.code, "values": values}

    @classmethod
    def from_data(cls, data):
        """The Said as_data() gave, or None if this version no longer knows its code."""
        if data.get("code") not in TEMPLATES:
            return None
        values = {
            k: cls.from_data(v) if isinstance(v, dict) else v for k, v in data["values"].items()
        }
        return cls(data["code"], **values)


def in_language(message):
    """A message for the admin: translated if it is a Said, as it is otherwise."""
    return message.translated() if isinstance(message, Said) else message
