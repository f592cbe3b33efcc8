"""Compile the iJw reader's Cython module (pipelines/ijw/_walk.pyx) in place, against lxml's headers.

Run by scripts/setup.sh after the requirements are installed; needs a C compiler (Debian: gcc) and the
Python headers. The module reads libxml2 nodes through lxml's public C API, so it must be rebuilt when the
lxml version changes (setup.sh rebuilds it whenever requirements.txt or the .pyx changes).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    os.chdir(REPO)
    ext = Extension(
        "pipelines.ijw._walk",
        ["pipelines/ijw/_walk.pyx"],
        include_dirs=lxml.get_include(),
        extra_compile_args=["-O2"],
    )
    setup(
        name="ketenmonitor-ext",
        packages=[],
        py_modules=[],
        ext_modules=cythonize([ext], language_level=3, quiet=True),
        script_args=["build_ext", "--inplace", "--build-temp", str(REPO / "build")],
    )


if __name__ == "__main__":
    sys.exit(main())
