"""The admin's forms as a browser submits them, for load_test's editors: every field of a
form read from the page, some of them given new values, and the form's errors."""

import html5lib


def form_fields(page, form_id=None, submit=None):
    """What a browser submits from the form (by id, else the one with a `post` field),
    plus the `submit` button's name and value."""
    doc = html5lib.parse(page, transport_encoding="utf-8", namespaceHTMLElements=False)
    forms = [f for f in doc.iter("form") if f.get("id") == form_id] if form_id else [
        f for f in doc.iter("form") if f.find(".//input[@name='post']") is not None
    ]  # fmt: skip
    if not forms:
        raise ValueError(f"no form {form_id or 'with a post field'} on the page")
    fields = []
    for el in forms[0].iter():
        name = el.get("name")
        if not name or "disabled" in el.attrib:
            continue
        if el.tag == "input":
            kind = el.get("type", "text").lower()
            if kind == "submit":
                if name == submit:
                    fields.append((name, el.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in el.attrib:
                    fields.append((name, el.get("value", "on")))
            elif kind not in ("button", "image", "reset", "file"):
                fields.append((name, el.get("value", "")))
        elif el.tag == "textarea":
            fields.append((name, el.text or ""))
        elif el.tag == "select":
            options = list(el.iter("option"))
            chosen = [o for o in options if "selected" in o.attrib]
            if not chosen and "multiple" not in el.attrib:
                chosen = options[:1]
            fields += [(name, o.get("value", o.text or "")) for o in chosen]
    return fields


def replaced(fields, **values):
    """The fields with these names given these values (a list for several)."""
    kept = [(k, v) for k, v in fields if k not in values]
    for name, value in values.items():
        kept += [(name, v) for v in (value if isinstance(value, list) else [value])]
    return kept


def form_errors(page):
    doc = html5lib.parse(page, transport_encoding="utf-8", namespaceHTMLElements=False)
    lists = [ul for ul in doc.iter("ul") if "errorlist" in ul.get("class", "")]
    return "; ".join(" ".join("".join(ul.itertext()).split()) for ul in lists)[:300]
