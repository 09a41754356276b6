"""The public data sets in data/ are a copy of ../shared/data, so a clone of the project alone can build
the demo region and run the tests; the copy must stay byte for byte what the shared folder holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

COPY = Path(settings.BASE_DIR) / "data"
SHARED = Path(settings.BASE_DIR).parent / "shared" / "data"


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_every_data_file_comes_with_its_source_note():
    for name in _files(COPY):
        if name.suffix in (".csv", ".jsonl"):
            notes = list((COPY / name.parent).glob("*.source.txt"))
            assert notes, f"{name}: no *.source.txt beside it"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside this checkout")
def test_the_copy_equals_the_shared_data_sets():
    for name in _files(COPY):
        assert (COPY / name).read_bytes() == (SHARED / name).read_bytes(), f"data/{name} differs from ../shared/data"
