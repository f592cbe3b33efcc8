"""The one C extension of Ketenmonitor, built by the standard backend (`pip install -e .` or `pip install .`).

`pipelines/ijw/_walk.pyx` (Cython) reads libxml2's nodes through lxml's public C API, so it is compiled
against the headers of the installed lxml (`lxml.get_include()`; lxml is pinned in `[build-system]` and in
requirements.txt, tests/unit/test_packaging.py checks they agree) and must be rebuilt when lxml changes.
Everything else about the package (name, version, licence, packages, entry point) is in pyproject.toml.

Invariant: the extension is optional. Without a C compiler the install still succeeds and the build uses
the pure-Python reader with a warning (pipelines/ijw/walk.py); scripts/setup.sh installs gcc and checks the
compiled module is loaded.
"""

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup

EXTENSIONS = [
    Extension(
        "pipelines.ijw._walk",
        ["pipelines/ijw/_walk.pyx"],
        include_dirs=lxml.get_include(),
        extra_compile_args=["-O2"],
        optional=True,
    )
]

setup(ext_modules=cythonize(EXTENSIONS, language_level=3, quiet=True))
