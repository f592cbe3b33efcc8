"""Pure-Python element access for the iJw XML reader: the reference for the compiled `_walk` module.

`pipelines.ijw.walk` uses the compiled module when it is built (`pip install -e .`, run by setup.sh) and
falls back to these functions otherwise; tests/unit/ijw/test_walk.py checks that both give the same
result on every record, header, client and retour code list of a generated region.

Invariants:
- Elements are matched by local name, in any (or no) namespace, without rewriting the tree.
- "Text" is lxml's `.text`, stripped; an empty or whitespace-only text is None.
- Caches built from element names are bounded (hostile input cannot grow them without limit).
"""

from __future__ import annotations

_PLAN_MAX = 10_000

# Clark tag ("{namespace}Local" or "Local") -> local name.
_LOCAL: dict[str, str] = {}


def local(tag: str) -> str:
    name = _LOCAL.get(tag)
    if name is None:
        name = tag[tag.index("}") + 1 :] if tag[0] == "{" else tag
        if len(_LOCAL) < _PLAN_MAX:
            _LOCAL[tag] = name
    return name


class Plan:
    """Wanted one- and two-step local paths ("A", "A/B") of an element, each with its output key."""

    def __init__(self, paths: dict[str, str]) -> None:
        for path in paths.values():
            if path.count("/") > 1:
                raise ValueError(f"pad met meer dan twee stappen: {path}")
        self.keys = tuple(paths)
        self.key_of = {path: key for key, path in paths.items()}
        # Clark tag of a child -> (leaf key, {Clark grandchild tag -> key}); "" means not wanted
        self.children: dict[str, tuple[str, dict[str, str]]] = {}

    def _entry(self, ctag: str) -> tuple[str, dict[str, str]]:
        cname = local(ctag)
        prefix = cname + "/"
        entry = (
            self.key_of.get(cname, ""),
            {"": prefix} if any(p.startswith(prefix) for p in self.key_of) else {},
        )
        if len(self.children) < _PLAN_MAX:
            self.children[ctag] = entry
        return entry


def raw(el, plan: Plan) -> dict:
    """Stripped text of the wanted children and grandchildren of `el` (one pass, last occurrence wins).

    A child with element children contributes only its grandchildren ("Child/Grandchild"); a leaf child
    its own text ("Child").
    """
    key_of = plan.key_of
    out = dict.fromkeys(plan.keys)
    for child in el:
        ctag = child.tag
        leaf, sub = plan.children.get(ctag) or plan._entry(ctag)
        if not leaf and not sub:
            continue
        if len(child):
            if sub:
                for gc in child:
                    text = gc.text
                    if text is not None:
                        gtag = gc.tag
                        k = sub.get(gtag)
                        if k is None:
                            k = key_of.get(sub[""] + local(gtag), "")
                            if len(sub) < _PLAN_MAX:
                                sub[gtag] = k
                        if k:
                            out[k] = text
        elif leaf:
            text = child.text
            if text is not None:
                out[leaf] = text
    for k, value in out.items():
        if value is not None:
            out[k] = value.strip() or None
    return out


def first(el, plan: Plan) -> dict:
    """The FIRST child / grandchild per wanted path, its text stripped (None when absent or empty).

    A child's own text counts whether or not it has children; grandchildren are looked for under every
    child of that name, in document order. For one path this is `el.findtext(path)` by local name.
    """
    found: dict[str, str | None] = {}
    key_of = plan.key_of
    for child in el:
        cname = local(child.tag)
        key = key_of.get(cname)
        if key is not None and key not in found:
            found[key] = child.text
        prefix = cname + "/"
        for gc in child:
            key = key_of.get(prefix + local(gc.tag))
            if key is not None and key not in found:
                found[key] = gc.text
    out = dict.fromkeys(plan.keys)
    for k, value in found.items():
        if value is not None:
            out[k] = value.strip() or None
    return out


def has_doctype(el) -> bool:
    """The element's document declares a DOCTYPE (internal or external DTD subset)."""
    info = el.getroottree().docinfo
    return bool(info.doctype) or info.internalDTD is not None


def codes(el, container: bytes = b"RetourCodes", name: bytes = b"RetourCode") -> list[str]:
    """The stripped, non-empty texts of every `container`/`name` grandchild of `el`, in order."""
    if el is None:
        return []
    cname, gname = container.decode(), name.decode()
    out = []
    for child in el:
        if local(child.tag) == cname:
            for gc in child:
                if local(gc.tag) == gname:
                    text = gc.text
                    if text and text.strip():
                        out.append(text.strip())
    return out
