"""SQL text helpers shared by the model runner and the snapshot, without the build machinery (the app may
import `pipelines.snapshot`, which must not pull in `pipelines.sqlrunner`; tests/unit/test_import_hygiene.py).
"""

from __future__ import annotations

import re

COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
STRING = re.compile(r"'(?:[^']|'')*'")


def strip(sql: str) -> str:
    """`sql` without comments, and with every string literal emptied (`''`): what is left are keywords,
    identifiers, numbers and punctuation."""
    return STRING.sub("''", COMMENT.sub(" ", sql))
