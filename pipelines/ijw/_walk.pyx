# cython: language_level=3, boundscheck=False, wraparound=False
"""Compiled element access for the iJw XML reader: the same results as the pure-Python reference functions
in `pipelines.ijw.walk_py`, read straight from libxml2's nodes instead of through one lxml proxy object per
element (that proxy creation was the floor of the pure-Python reader).

Invariants (each checked against the reference by tests/unit/ijw/test_walk.py on every record, header and
client of a generated region):
- Read-only: nothing here changes the tree; no libxml2 function is called, only node fields are read, so
  the module needs lxml's headers but no libxml2 library of its own.
- Elements are matched by local name (libxml2 keeps it in `node.name`, whatever the namespace), like the
  reference.
- "Text" is lxml's `.text`: the consecutive text and CDATA nodes at the start of an element, None when
  there are none.
"""

from cpython.bytes cimport PyBytes_AS_STRING
from libc.string cimport strcmp

cimport lxml.includes.etreepublic as cetree
from lxml.includes cimport tree

cetree.import_lxml__etree()


cdef inline bint _is_text(tree.xmlNode* n) noexcept:
    return n.type == tree.XML_TEXT_NODE or n.type == tree.XML_CDATA_SECTION_NODE


cdef inline bint _is_element(tree.xmlNode* n) noexcept:
    # lxml's _isElement: what `for child in el` and `len(el)` count
    return (
        n.type == tree.XML_ELEMENT_NODE
        or n.type == tree.XML_COMMENT_NODE
        or n.type == tree.XML_ENTITY_REF_NODE
        or n.type == tree.XML_PI_NODE
    )


cdef inline tree.xmlNode* _skip_xinclude(tree.xmlNode* n) noexcept:
    while n is not NULL and (n.type == tree.XML_XINCLUDE_START or n.type == tree.XML_XINCLUDE_END):
        n = n.next
    return n


cdef object _text(tree.xmlNode* node):
    """lxml's `node.text`: None without a leading text node, else the joined leading text/CDATA nodes."""
    cdef tree.xmlNode* n = _skip_xinclude(node.children)
    if n is NULL or not _is_text(n):
        return None
    cdef tree.xmlNode* m = _skip_xinclude(n.next)
    if m is NULL or not _is_text(m):
        return (<const char*>n.content).decode("utf-8")
    cdef bytearray buf = bytearray()
    while n is not NULL and _is_text(n):
        buf += <bytes>(<const char*>n.content)
        n = _skip_xinclude(n.next)
    return bytes(buf).decode("utf-8")


cdef inline bint _has_children(tree.xmlNode* node) noexcept:
    cdef tree.xmlNode* c = node.children
    while c is not NULL:
        if _is_element(c):
            return True
        c = c.next
    return False


cdef inline tree.xmlNode* _node(object el) except NULL:
    return (<cetree._Element?>el)._c_node


cdef inline bint _named(tree.xmlNode* n, bytes name) noexcept:
    return n.type == tree.XML_ELEMENT_NODE and strcmp(<const char*>n.name, PyBytes_AS_STRING(name)) == 0


cdef class Plan:
    """Wanted one- and two-step local paths ("A", "A/B") of a record, each with its output key."""

    cdef readonly tuple keys
    cdef list leaf_names   # bytes, child local name of a one-step path
    cdef list leaf_index   # int, index into keys
    cdef list cont_names   # bytes, child local name that prefixes a two-step path
    cdef list cont_subs    # list of (bytes grandchild name, int index) per container
    cdef Py_ssize_t n

    def __init__(self, paths):
        """`paths`: {key: "A" or "A/B"} as in `xml_reader.LINE_PATHS` (one key per path)."""
        self.keys = tuple(paths)
        self.n = len(self.keys)
        self.leaf_names, self.leaf_index, self.cont_names, self.cont_subs = [], [], [], []
        for i, key in enumerate(self.keys):
            steps = paths[key].split("/")
            if len(steps) == 1:
                self.leaf_names.append(steps[0].encode())
                self.leaf_index.append(i)
            elif len(steps) == 2:
                name = steps[0].encode()
                if name not in self.cont_names:
                    self.cont_names.append(name)
                    self.cont_subs.append([])
                self.cont_subs[self.cont_names.index(name)].append((steps[1].encode(), i))
            else:
                raise ValueError(f"pad met meer dan twee stappen: {paths[key]}")


cdef int _leaf_of(Plan plan, tree.xmlNode* n):
    cdef Py_ssize_t j
    for j in range(len(plan.leaf_names)):
        if strcmp(<const char*>n.name, PyBytes_AS_STRING(<bytes>plan.leaf_names[j])) == 0:
            return <int>plan.leaf_index[j]
    return -1


cdef int _cont_of(Plan plan, tree.xmlNode* n):
    cdef Py_ssize_t j
    for j in range(len(plan.cont_names)):
        if strcmp(<const char*>n.name, PyBytes_AS_STRING(<bytes>plan.cont_names[j])) == 0:
            return <int>j
    return -1


cdef int _sub_of(list subs, tree.xmlNode* n):
    cdef Py_ssize_t j
    for j in range(len(subs)):
        if strcmp(<const char*>n.name, PyBytes_AS_STRING(<bytes>subs[j][0])) == 0:
            return <int>subs[j][1]
    return -1


def raw(el, Plan plan):
    """`walk_py.raw`: stripped text of the wanted children and grandchildren, last occurrence wins.

    A child with element children contributes only its grandchildren; a leaf child its own text.
    """
    cdef tree.xmlNode* node = _node(el)
    cdef tree.xmlNode* c
    cdef tree.xmlNode* g
    cdef int i, k
    cdef list values = [None] * plan.n
    cdef list subs
    c = node.children
    while c is not NULL:
        if c.type == tree.XML_ELEMENT_NODE:
            i = _leaf_of(plan, c)
            k = _cont_of(plan, c)
            if i >= 0 or k >= 0:
                if _has_children(c):
                    if k >= 0:
                        subs = plan.cont_subs[k]
                        g = c.children
                        while g is not NULL:
                            if g.type == tree.XML_ELEMENT_NODE:
                                i = _sub_of(subs, g)
                                if i >= 0:
                                    text = _text(g)
                                    if text is not None:
                                        values[i] = text
                            g = g.next
                elif i >= 0:
                    text = _text(c)
                    if text is not None:
                        values[i] = text
        c = c.next
    out = {}
    for i in range(plan.n):
        value = values[i]
        if value is not None:
            value = (<str>value).strip() or None
        out[plan.keys[i]] = value
    return out


def first(el, Plan plan):
    """`walk_py.first`: the FIRST child / grandchild per wanted path, its text stripped (None when empty).

    A child's own text counts whether or not it has children (as `_first_texts` did); grandchildren are
    looked for under every child of that name.
    """
    cdef tree.xmlNode* node = _node(el)
    cdef tree.xmlNode* c
    cdef tree.xmlNode* g
    cdef int i, k
    cdef list values = [None] * plan.n
    cdef list seen = [False] * plan.n
    cdef list subs
    c = node.children
    while c is not NULL:
        if c.type == tree.XML_ELEMENT_NODE:
            i = _leaf_of(plan, c)
            if i >= 0 and not seen[i]:
                seen[i] = True
                values[i] = _text(c)
            k = _cont_of(plan, c)
            if k >= 0:
                subs = plan.cont_subs[k]
                g = c.children
                while g is not NULL:
                    if g.type == tree.XML_ELEMENT_NODE:
                        i = _sub_of(subs, g)
                        if i >= 0 and not seen[i]:
                            seen[i] = True
                            values[i] = _text(g)
                    g = g.next
        c = c.next
    out = {}
    for i in range(plan.n):
        value = values[i]
        if value is not None:
            value = (<str>value).strip() or None
        out[plan.keys[i]] = value
    return out


def codes(el, bytes container=b"RetourCodes", bytes name=b"RetourCode"):
    """`walk_py.codes`: the stripped, non-empty texts of every RetourCodes/RetourCode, in order."""
    if el is None:
        return []
    cdef tree.xmlNode* c = _node(el).children
    cdef tree.xmlNode* g
    cdef list out = []
    while c is not NULL:
        if _named(c, container):
            g = c.children
            while g is not NULL:
                if _named(g, name):
                    text = _text(g)
                    if text:
                        text = (<str>text).strip()
                        if text:
                            out.append(text)
                g = g.next
        c = c.next
    return out
