"""Copy the ontology, shapes, queries and dataset into the wheel as ``ctoc_kg/assets``.

They stay at the top of the repository, where contributors edit them; an installed
package (for example the pre-commit hook in another repository) finds them here, so
that a file is validated in the context of the dataset it joins, source texts included.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ASSETS = {
    "ontology": "*.ttl",
    "shapes": "*.ttl",
    "queries": "*.rq",
    "data": "*.ttl",
    "data/sources": "*.txt",
    "data/curated": "*.ttl",
}


class BuildWithAssets(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads them from the checkout
        root = Path(__file__).resolve().parent
        for folder, pattern in ASSETS.items():
            target = Path(self.build_lib) / "ctoc_kg" / "assets" / folder
            target.mkdir(parents=True, exist_ok=True)
            for f in sorted((root / folder).glob(pattern)):
                shutil.copy2(f, target / f.name)


setup(cmdclass={"build_py": BuildWithAssets})
