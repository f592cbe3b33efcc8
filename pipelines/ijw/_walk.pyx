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
from libc.string cimport memcmp, strcmp

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
# Values go straight from libxml2's UTF-8 into one Arrow buffer set per column (stripped in C, no lxml
# proxy, no Python object per value). Polars takes a column without a copy through the Arrow PyCapsule
# interface (`__arrow_c_array__`: https://arrow.apache.org/docs/format/CDataInterface/PyCapsuleInterface.html),
# so neither pyarrow nor numpy is needed in the workers. An absent or empty (after stripping) text is null:
# in the reader's rules an empty text and a missing element are the same.
#
# Invariants:
# - A column is append-only until it is exported; exporting moves its buffers into the ArrowArray (whose
#   release callback frees them) and leaves the column empty, so a buffer has exactly one owner.
# - Offsets are int64 ("U", large_utf8): no batch can overflow them. Bytes are valid UTF-8 (libxml2's
#   internal encoding, cut only at whitespace characters).

from libc.string cimport memcpy, memset, strlen
from libc.stdint cimport int64_t, uint8_t
from libc.stdlib cimport realloc
from cpython.pycapsule cimport PyCapsule_GetPointer, PyCapsule_New
from cpython.unicode cimport PyUnicode_DecodeUTF8


cdef struct ArrowSchema:
    const char* format
    const char* name
    const char* metadata
    int64_t flags
    int64_t n_children
    ArrowSchema** children
    ArrowSchema* dictionary
    void (*release)(ArrowSchema*) noexcept nogil
    void* private_data


cdef struct ArrowArray:
    int64_t length
    int64_t null_count
    int64_t offset
    int64_t n_buffers
    int64_t n_children
    const void** buffers
    ArrowArray** children
    ArrowArray* dictionary
    void (*release)(ArrowArray*) noexcept nogil
    void* private_data


cdef int64_t ARROW_FLAG_NULLABLE = 2


cdef void _release_schema(ArrowSchema* schema) noexcept nogil:
    schema.release = NULL  # format and name are static strings


cdef void _release_array(ArrowArray* array) noexcept nogil:
    cdef const void** buffers = array.buffers
    cdef int64_t i
    for i in range(array.n_buffers):
        free(<void*>buffers[i])
    free(<void*>buffers)
    array.release = NULL


cdef void _capsule_schema_free(object capsule) noexcept:
    cdef ArrowSchema* schema = <ArrowSchema*>PyCapsule_GetPointer(capsule, "arrow_schema")
    if schema is not NULL:
        if schema.release is not NULL:
            schema.release(schema)
        free(schema)


cdef void _capsule_array_free(object capsule) noexcept:
    cdef ArrowArray* array = <ArrowArray*>PyCapsule_GetPointer(capsule, "arrow_array")
    if array is not NULL:
        if array.release is not NULL:
            array.release(array)
        free(array)


cdef object _schema_capsule(const char* fmt):
    cdef ArrowSchema* schema = <ArrowSchema*>malloc(sizeof(ArrowSchema))
    if schema is NULL:
        raise MemoryError()
    memset(schema, 0, sizeof(ArrowSchema))
    schema.format = fmt
    schema.name = ""
    schema.flags = ARROW_FLAG_NULLABLE
    schema.release = _release_schema
    return PyCapsule_New(schema, "arrow_schema", <void(*)(object) noexcept>_capsule_schema_free)


cdef object _array_capsule(int64_t length, int64_t null_count, void* b0, void* b1, void* b2, int64_t n_buffers):
    """An ArrowArray capsule that owns the buffers (freed by its release callback, also on error)."""
    cdef ArrowArray* array = <ArrowArray*>malloc(sizeof(ArrowArray))
    cdef const void** buffers = <const void**>malloc(3 * sizeof(void*))
    if array is NULL or buffers is NULL:
        free(array)
        free(buffers)
        free(b0)
        free(b1)
        free(b2)
        raise MemoryError()
    memset(array, 0, sizeof(ArrowArray))
    buffers[0] = b0
    buffers[1] = b1
    buffers[2] = b2
    array.length = length
    array.null_count = null_count
    array.n_buffers = n_buffers
    array.buffers = buffers
    array.release = _release_array
    return PyCapsule_New(array, "arrow_array", <void(*)(object) noexcept>_capsule_array_free)


cdef void* _grow(void* buffer, int64_t* capacity, int64_t needed, int64_t item) except? NULL:
    """realloc `buffer` to hold at least `needed` items of `item` bytes (capacity doubles); new bytes zeroed."""
    cdef int64_t old = capacity[0]
    cdef int64_t cap = old if old > 0 else 1024
    while cap < needed:
        cap *= 2
    cdef void* grown = realloc(buffer, cap * item)
    if grown is NULL:
        raise MemoryError()
    memset(<char*>grown + old * item, 0, (cap - old) * item)
    capacity[0] = cap
    return grown


cdef class StrColumn:
    """An Arrow large_utf8 column being filled: validity bitmap, int64 offsets, UTF-8 bytes."""

    cdef uint8_t* valid
    cdef int64_t* offsets
    cdef char* data
    cdef int64_t n, null_count, size
    cdef int64_t valid_cap, offsets_cap, data_cap

    def __cinit__(self):
        self._empty()

    def __dealloc__(self):
        free(self.valid)
        free(self.offsets)
        free(self.data)

    cdef int _empty(self) except -1:
        self.valid = NULL
        self.offsets = NULL
        self.data = NULL
        self.n = self.null_count = self.size = 0
        self.valid_cap = self.offsets_cap = self.data_cap = 0
        self.offsets = <int64_t*>_grow(NULL, &self.offsets_cap, 1, sizeof(int64_t))
        return 0

    cdef int push(self, const char* s, Py_ssize_t length) except -1:
        if self.n + 2 > self.offsets_cap:
            self.offsets = <int64_t*>_grow(self.offsets, &self.offsets_cap, self.n + 2, sizeof(int64_t))
        if (self.n >> 3) + 1 > self.valid_cap:
            self.valid = <uint8_t*>_grow(self.valid, &self.valid_cap, (self.n >> 3) + 1, 1)
        if length:
            if self.size + length > self.data_cap:
                self.data = <char*>_grow(self.data, &self.data_cap, self.size + length, 1)
            memcpy(self.data + self.size, s, length)
            self.size += length
            self.valid[self.n >> 3] |= <uint8_t>(1 << (self.n & 7))
        else:
            self.null_count += 1
        self.n += 1
        self.offsets[self.n] = self.size
        return 0

    cdef void clear(self) noexcept:
        """Empty the column and keep its buffers (a scratch column reused per value)."""
        if self.valid is not NULL:
            memset(self.valid, 0, self.valid_cap)
        self.n = self.null_count = self.size = 0

    cdef int push_str(self, str value) except -1:
        """Push a Python string as it is (None or "" is null)."""
        if not value:
            return self.push(NULL, 0)
        cdef bytes encoded = value.encode("utf-8")
        return self.push(PyBytes_AS_STRING(encoded), len(encoded))

    cdef bint equals(self, Py_ssize_t i, const char* text) noexcept:
        """True when value i is the (non-empty) UTF-8 string `text`."""
        cdef int64_t length = strlen(text)
        return (
            0 <= i < self.n
            and self.offsets[i + 1] - self.offsets[i] == length
            and length > 0
            and memcmp(self.data + self.offsets[i], text, length) == 0
        )

    def __len__(self):
        return self.n

    @property
    def values(self):
        """The values as a list of str and None (tests and debugging; the reader exports the buffers)."""
        out = []
        cdef int64_t i
        for i in range(self.n):
            if self.valid is not NULL and self.valid[i >> 3] & (1 << (i & 7)):
                out.append(PyUnicode_DecodeUTF8(self.data + self.offsets[i], self.offsets[i + 1] - self.offsets[i], NULL))
            else:
                out.append(None)
        return out

    def __arrow_c_schema__(self):
        return _schema_capsule("U")

    def __arrow_c_array__(self, requested_schema=None):
        """Hand the buffers to the consumer (Arrow PyCapsule interface); the column is empty afterwards."""
        if self.valid is NULL:
            self.valid = <uint8_t*>_grow(NULL, &self.valid_cap, 1, 1)
        if self.data is NULL:
            self.data = <char*>_grow(NULL, &self.data_cap, 1, 1)
        schema = _schema_capsule("U")
        valid, offsets, data = self.valid, self.offsets, self.data
        n, null_count = self.n, self.null_count
        self._empty()
        return schema, _array_capsule(n, null_count, valid, offsets, data, 3)


cdef class IntColumn:
    """An Arrow int64 column (no nulls) being filled."""

    cdef int64_t* data
    cdef int64_t n, cap

    def __cinit__(self):
        self.data = NULL
        self.n = self.cap = 0

    def __dealloc__(self):
        free(self.data)

    cdef int push(self, int64_t v) except -1:
        if self.n + 1 > self.cap:
            self.data = <int64_t*>_grow(self.data, &self.cap, self.n + 1, sizeof(int64_t))
        self.data[self.n] = v
        self.n += 1
        return 0

    def __len__(self):
        return self.n

    @property
    def values(self):
        return [self.data[i] for i in range(self.n)]

    def __arrow_c_schema__(self):
        return _schema_capsule("l")

    def __arrow_c_array__(self, requested_schema=None):
        """Hand the buffer to the consumer (Arrow PyCapsule interface); the column is empty afterwards."""
        if self.data is NULL:
            self.data = <int64_t*>_grow(NULL, &self.cap, 1, sizeof(int64_t))
        schema = _schema_capsule("l")
        data, n = self.data, self.n
        self.data = NULL
        self.n = self.cap = 0
        return schema, _array_capsule(n, 0, NULL, data, NULL, 2)


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
    return col.push_str("\x1f".join(out) if out else None)


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


cdef StrColumn _SOORT = StrColumn()  # the stripped Contact/Soort being looked at (reused, no allocation)


cdef int _push_client(tree.xmlNode* client, Plan client_plan, Plan contact_plan, list cols, int64_t m,
                      int64_t ci, bint demographics) except -1:
    """One client row: m, client, the client plan's values (first semantics), then the postcode of the
    first Contactgegevens/Contact whose Soort is 01 (only with `demographics`, else None)."""
    cdef tree.xmlNode* c
    cdef tree.xmlNode* g
    cdef tree.xmlNode* found[2]
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
                        _SOORT.clear()
                        _push_text(_SOORT, found[0])
                        if _SOORT.equals(0, "01"):
                            return _push_text(<StrColumn>cols[k], found[1])
                    g = g.next
            c = c.next
    return (<StrColumn>cols[k]).push(NULL, 0)


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
