"""The build steps pyproject.toml cannot declare: the one C extension and the bundled data files.

Everything else about the package (name, version, licence, packages, entry point) is in pyproject.toml.

The extension: `pipelines/ijw/_walk.pyx` (Cython) reads libxml2's nodes through lxml's public C API, so it is
compiled against the headers of the installed lxml (`lxml.get_include()`; lxml is pinned in `[build-system]`
and in requirements.txt, tests/unit/test_packaging.py checks they agree) and must be rebuilt when lxml
changes. Invariant: the extension is optional. Without a C compiler the install still succeeds and the build
uses the pure-Python reader with a warning (pipelines/ijw/walk.py); scripts/setup.sh installs gcc and checks
the compiled module is loaded.

The bundled data: the SQL project (sql/), the default config, the definitions catalogue and the Streamlit
config live outside the packages, in the checkout, which stays their one home. `build_py` copies them into
the built packages (`BUNDLED`), so a wheel or a non-editable `pip install .` carries them:
pipelines/settings.py reads `pipelines/_bundled/` when there is one and the checkout otherwise, and Streamlit
reads `dashboard/.streamlit/config.toml` beside the installed app.py. An editable install (`pip install -e .`)
copies nothing: it runs from the checkout. MANIFEST.in puts the same files in the sdist.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_py import build_py

EXTENSIONS = [
    Extension(
        "pipelines.ijw._walk",
        ["pipelines/ijw/_walk.pyx"],
        include_dirs=lxml.get_include(),
        extra_compile_args=["-O2"],
        optional=True,
    )
]

# target in the built packages -> (source folder or file in the checkout, glob for a folder)
BUNDLED = {
    "pipelines/_bundled/sql": ("sql", "**/*.sql"),
    "pipelines/_bundled/config/ketenmonitor.toml": ("config/ketenmonitor.toml", None),
    "pipelines/_bundled/config/rollen.voorbeeld.toml": ("config/rollen.voorbeeld.toml", None),
    "pipelines/_bundled/docs/definitions.md": ("docs/definitions.md", None),
    "dashboard/.streamlit/config.toml": (".streamlit/config.toml", None),
}


def bundled_files() -> list[tuple[str, str]]:
    """(source in the checkout, target relative to the build folder) for every bundled file."""
    pairs = []
    for target, (source, pattern) in BUNDLED.items():
        if pattern is None:
            pairs.append((source, target))
        else:
            pairs += [
                (str(p), str(Path(target) / p.relative_to(source)))
                for p in sorted(Path(source).glob(pattern))
            ]
    return pairs


class BuildPyWithData(build_py):
    """`build_py` that also copies the bundled data into the built packages (not for an editable install)."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        # a stale copy from an earlier in-tree build must not survive a removed model
        shutil.rmtree(Path(self.build_lib) / "pipelines" / "_bundled", ignore_errors=True)
        for source, target in bundled_files():
            dest = Path(self.build_lib) / target
            self.mkpath(str(dest.parent))
            self.copy_file(source, str(dest), preserve_mode=False)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        extra = [] if self.editable_mode else [str(Path(self.build_lib) / t) for _, t in bundled_files()]
        return [*super().get_outputs(include_bytecode), *extra]


setup(
    ext_modules=cythonize(EXTENSIONS, language_level=3, quiet=True),
    cmdclass={"build_py": BuildPyWithData},
)
