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
from libc.stdlib cimport free, malloc
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
    return _values(_node(el), plan, True)


def first(el, Plan plan):
    """`walk_py.first`: the FIRST child / grandchild per wanted path, its text stripped (None when empty).

    A child's own text counts whether or not it has children (as `_first_texts` did); grandchildren are
    looked for under every child of that name.
    """
    return _values(_node(el), plan, False)


cdef dict _values(tree.xmlNode* node, Plan plan, bint last):
    cdef tree.xmlNode** found = <tree.xmlNode**>malloc(plan.n * sizeof(tree.xmlNode*))
    cdef Py_ssize_t i
    cdef dict out = {}
    if found is NULL:
        raise MemoryError()
    try:
        for i in range(plan.n):
            found[i] = NULL
        if last:
            _raw_nodes(node, plan, found)
        else:
            _first_nodes(node, plan, found)
        for i in range(plan.n):
            value = _text(found[i]) if found[i] is not NULL else None
            if value is not None:
                value = (<str>value).strip() or None
            out[plan.keys[i]] = value
    finally:
        free(found)
    return out


def has_doctype(el):
    """`walk_py.has_doctype`: the element's document has an internal or external DTD subset."""
    cdef tree.xmlNode* node = _node(el)
    return node.doc is not NULL and (node.doc.intSubset is not NULL or node.doc.extSubset is not NULL)


def codes(el, bytes container=b"RetourCodes", bytes name=b"RetourCode"):
    """`walk_py.codes`: the stripped, non-empty texts of every RetourCodes/RetourCode, in order."""
    if el is None:
        return []
    return _codes_of(_node(el), container, name)


cdef list _codes_of(tree.xmlNode* node, bytes container, bytes name):
    cdef tree.xmlNode* c = node.children
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


# ---------------------------------------------------------------- columnar output for the bulk reader
# Values go straight from libxml2's UTF-8 into one Python list per column (stripped in C, no lxml proxy,
# no intermediate dict); Polars turns such a list into a column at about 15 ns per value. An absent or
# empty (after stripping) text is None: in the reader's rules an empty text and a missing element are the
# same.

from libc.string cimport strlen
from libc.stdint cimport int64_t
from cpython.unicode cimport PyUnicode_DecodeUTF8


cdef class StrColumn:
    cdef readonly list values

    def __cinit__(self):
        self.values = []

    cdef int push(self, const char* s, Py_ssize_t length) except -1:
        if length:
            self.values.append(PyUnicode_DecodeUTF8(s, length, NULL))
        else:
            self.values.append(None)
        return 0



cdef class IntColumn:
    cdef readonly list values

    def __cinit__(self):
        self.values = []

    cdef int push(self, int64_t v) except -1:
        self.values.append(v)
        return 0


cdef inline Py_ssize_t _ws_prefix(const unsigned char* s, Py_ssize_t n) noexcept:
    """Length of the whitespace character (str.isspace) at the start of s[:n], 0 if none."""
    if n >= 1 and ((9 <= s[0] <= 13) or (28 <= s[0] <= 32)):
        return 1
    if n >= 2 and s[0] == 0xC2 and (s[1] == 0x85 or s[1] == 0xA0):
        return 2
    if n >= 3:
        if s[0] == 0xE1 and s[1] == 0x9A and s[2] == 0x80:
            return 3
        if s[0] == 0xE2 and s[1] == 0x80 and (s[2] <= 0x8A or s[2] == 0xA8 or s[2] == 0xA9 or s[2] == 0xAF):
            return 3
        if s[0] == 0xE2 and s[1] == 0x81 and s[2] == 0x9F:
            return 3
        if s[0] == 0xE3 and s[1] == 0x80 and s[2] == 0x80:
            return 3
    return 0


cdef inline Py_ssize_t _ws_suffix(const unsigned char* s, Py_ssize_t n) noexcept:
    """Length of the whitespace character at the end of s[:n], 0 if none (UTF-8 lead bytes are unique)."""
    if n >= 1 and ((9 <= s[n - 1] <= 13) or (28 <= s[n - 1] <= 32)):
        return 1
    if n >= 2 and _ws_prefix(s + n - 2, 2) == 2:
        return 2
    if n >= 3 and _ws_prefix(s + n - 3, 3) == 3:
        return 3
    return 0


cdef int _push_stripped(StrColumn col, const char* s, Py_ssize_t n) except -1:
    cdef const unsigned char* u = <const unsigned char*>s
    cdef Py_ssize_t k
    while n > 0:
        k = _ws_prefix(u, n)
        if k == 0:
            break
        u += k
        n -= k
    while n > 0:
        k = _ws_suffix(u, n)
        if k == 0:
            break
        n -= k
    return col.push(<const char*>u, n)


cdef int _push_text(StrColumn col, tree.xmlNode* node) except -1:
    """Push lxml's `node.text`, stripped ("" when node is NULL or has no text)."""
    if node is NULL:
        return col.push(NULL, 0)
    cdef tree.xmlNode* n = _skip_xinclude(node.children)
    if n is NULL or not _is_text(n):
        return col.push(NULL, 0)
    cdef tree.xmlNode* m = _skip_xinclude(n.next)
    if m is NULL or not _is_text(m):
        return _push_stripped(col, <const char*>n.content, strlen(<const char*>n.content))
    cdef bytearray joined = bytearray()
    while n is not NULL and _is_text(n):
        joined += <bytes>(<const char*>n.content)
        n = _skip_xinclude(n.next)
    cdef bytes data = bytes(joined)
    return _push_stripped(col, <const char*>data, len(data))


cdef void _raw_nodes(tree.xmlNode* node, Plan plan, tree.xmlNode** found) noexcept:
    """The node whose text `raw` would take for each key (NULL when none): last occurrence wins."""
    cdef tree.xmlNode* c
    cdef tree.xmlNode* g
    cdef int i, k
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
                                if i >= 0 and _has_text(g):
                                    found[i] = g
                            g = g.next
                elif i >= 0 and _has_text(c):
                    found[i] = c
        c = c.next


cdef void _first_nodes(tree.xmlNode* node, Plan plan, tree.xmlNode** found) noexcept:
    """The node whose text `first` would take for each key (NULL when none): first occurrence wins."""
    cdef tree.xmlNode* c
    cdef tree.xmlNode* g
    cdef int i, k
    cdef list subs
    c = node.children
    while c is not NULL:
        if c.type == tree.XML_ELEMENT_NODE:
            i = _leaf_of(plan, c)
            if i >= 0 and found[i] is NULL:
                found[i] = c
            k = _cont_of(plan, c)
            if k >= 0:
                subs = plan.cont_subs[k]
                g = c.children
                while g is not NULL:
                    if g.type == tree.XML_ELEMENT_NODE:
                        i = _sub_of(subs, g)
                        if i >= 0 and found[i] is NULL:
                            found[i] = g
                    g = g.next
        c = c.next


cdef inline bint _has_text(tree.xmlNode* node) noexcept:
    cdef tree.xmlNode* n = _skip_xinclude(node.children)
    return n is not NULL and _is_text(n)


cdef int _push_plan(tree.xmlNode* node, Plan plan, list columns, Py_ssize_t offset, bint last) except -1:
    """Push the plan's values of `node` into columns[offset:offset + plan.n] (raw or first semantics)."""
    cdef tree.xmlNode** found = <tree.xmlNode**>malloc(plan.n * sizeof(tree.xmlNode*))
    cdef Py_ssize_t i
    if found is NULL:
        raise MemoryError()
    try:
        for i in range(plan.n):
            found[i] = NULL
        if node is not NULL:
            if last:
                _raw_nodes(node, plan, found)
            else:
                _first_nodes(node, plan, found)
        for i in range(plan.n):
            _push_text(<StrColumn>columns[offset + i], found[i])
    finally:
        free(found)
    return 0


cdef tree.xmlNode* _child(tree.xmlNode* node, bytes name) noexcept:
    cdef tree.xmlNode* c = node.children
    while c is not NULL:
        if _named(c, name):
            return c
        c = c.next
    return NULL


cdef int _push_codes(StrColumn col, tree.xmlNode* node) except -1:
    """Push `codes(node)` joined by "\\x1f" (a character XML 1.0 text cannot hold); None when empty."""
    cdef list out = _codes_of(node, b"RetourCodes", b"RetourCode") if node is not NULL else []
    col.values.append("\x1f".join(out) if out else None)
    return 0


cdef tree.xmlNode* _next_element(tree.xmlNode* n) noexcept:
    while n is not NULL and n.type != tree.XML_ELEMENT_NODE:
        n = n.next
    return n


cdef tree.xmlNode* _preorder_next(tree.xmlNode* cur, tree.xmlNode* top) noexcept:
    cdef tree.xmlNode* c = _next_element(cur.children)
    if c is not NULL:
        return c
    while cur is not top:
        c = _next_element(cur.next)
        if c is not NULL:
            return c
        cur = cur.parent
    return NULL


cdef int _push_client(tree.xmlNode* client, Plan client_plan, Plan contact_plan, list cols, int64_t m,
                      int64_t ci, bint demographics) except -1:
    """One client row: m, client, the client plan's values (first semantics), then the postcode of the
    first Contactgegevens/Contact whose Soort is 01 (only with `demographics`, else None)."""
    cdef tree.xmlNode* c
    cdef tree.xmlNode* g
    cdef tree.xmlNode* found[2]
    cdef StrColumn soort
    cdef Py_ssize_t k = 2 + client_plan.n
    (<IntColumn>cols[0]).push(m)
    (<IntColumn>cols[1]).push(ci)
    _push_plan(client, client_plan, cols, 2, False)
    if demographics:
        c = client.children
        while c is not NULL:
            if _named(c, b"Contactgegevens"):
                g = c.children
                while g is not NULL:
                    if _named(g, b"Contact"):
                        found[0] = NULL
                        found[1] = NULL
                        _first_nodes(g, contact_plan, found)
                        soort = StrColumn()
                        _push_text(soort, found[0])
                        if soort.values[0] == "01":
                            return _push_text(<StrColumn>cols[k], found[1])
                    g = g.next
            c = c.next
    (<StrColumn>cols[k]).values.append(None)
    return 0


def message_into(root, int kind, Plan line_plan, bytes step1, bytes step2, bint demographics,
                 Plan header_plan, list header_cols, Plan container_plan, list container_cols,
                 Plan client_plan, Plan contact_plan, list client_cols, list line_cols, int64_t m):
    """Collect one message for the bulk reader; -1 (nothing collected) when it must take the exact path.

    kind 0: a heenbericht with one Client and its lines (descendants named `step1`); 1: a declaratie
    (Declaratie/Clienten/Client, lines `step1/step2` per client); 2: a retour that must echo nothing
    (no Client); 3: a declaratie-antwoord (DeclaratieAntwoord without Clienten/Client).
    header_cols: the header plan's values, the header's RetourCodes, the flag "Header has a
    DeclaratieIdentificatie" (IntColumn); container_cols: the container plan's values (Declaratie or
    DeclaratieAntwoord), the container's RetourCodes (kind 3 only); client_cols: m, client, the client
    plan's values, postcode; line_cols: m, client, n, the line plan's values.
    Returns the number of lines (0 for a retour).
    """
    cdef tree.xmlNode* top = _node(root)
    cdef tree.xmlNode* header = _child(top, b"Header")
    cdef tree.xmlNode* container = NULL
    cdef tree.xmlNode* c
    cdef tree.xmlNode* g
    cdef tree.xmlNode* client
    cdef list clients = []
    cdef int64_t n = 0
    cdef Py_ssize_t i
    if header is NULL:
        return -1
    if kind == 0:
        client = _child(top, b"Client")
        if client is NULL:
            return -1
        n = _lines(client, step1, step2, line_plan, line_cols, m, 0, n)
        if n == 0:
            return -1
        _push_client(client, client_plan, contact_plan, client_cols, m, 0, demographics)
    elif kind == 1:
        container = _child(top, b"Declaratie")
        if container is NULL:
            return -1
        c = container.children
        while c is not NULL:
            if _named(c, b"Clienten"):
                g = c.children
                while g is not NULL:
                    if _named(g, b"Client"):
                        n = _lines(g, step1, step2, line_plan, line_cols, m, len(clients), n)
                        clients.append(<size_t>g)
                    g = g.next
            c = c.next
        if n == 0:
            return -1
        for i in range(len(clients)):
            _push_client(<tree.xmlNode*><size_t>clients[i], client_plan, contact_plan, client_cols, m, i,
                         demographics)
    elif kind == 2:
        if _child(top, b"Client") is not NULL:
            return -1
    elif kind == 3:
        container = _child(top, b"DeclaratieAntwoord")
        if container is not NULL:
            c = container.children
            while c is not NULL:
                if _named(c, b"Clienten"):
                    g = c.children
                    while g is not NULL:
                        if _named(g, b"Client"):
                            return -1
                        g = g.next
                c = c.next
    else:
        raise ValueError(f"onbekende soort {kind}")
    _push_plan(header, header_plan, header_cols, 0, False)
    _push_codes(<StrColumn>header_cols[header_plan.n], header)
    (<IntColumn>header_cols[header_plan.n + 1]).push(_child(header, b"DeclaratieIdentificatie") is not NULL)
    _push_plan(container, container_plan, container_cols, 0, False)
    _push_codes(<StrColumn>container_cols[container_plan.n], container if kind == 3 else NULL)
    return n


cdef int64_t _lines(tree.xmlNode* top, bytes step1, bytes step2, Plan plan, list cols, int64_t m,
                    int64_t client, int64_t n) except -1:
    """Push m, client, n and the plan's values of every line; the last n."""
    cdef tree.xmlNode* cur
    cdef tree.xmlNode* c
    cdef tree.xmlNode* g
    cdef IntColumn m_col = cols[0]
    cdef IntColumn client_col = cols[1]
    cdef IntColumn n_col = cols[2]
    if len(step2) == 0:
        cur = _preorder_next(top, top)
        while cur is not NULL:
            if _named(cur, step1):
                n += 1
                m_col.push(m)
                client_col.push(client)
                n_col.push(n)
                _push_plan(cur, plan, cols, 3, True)
            cur = _preorder_next(cur, top)
        return n
    c = top.children
    while c is not NULL:
        if _named(c, step1):
            g = c.children
            while g is not NULL:
                if _named(g, step2):
                    n += 1
                    m_col.push(m)
                    client_col.push(client)
                    n_col.push(n)
                    _push_plan(g, plan, cols, 3, True)
                g = g.next
        c = c.next
    return n
