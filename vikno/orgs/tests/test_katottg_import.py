"""Importing the КАТОТТГ codifier: good files, each kind of bad row, idempotency, the real file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from vikno.core.errors import ImportProblem
from vikno.core.models import AuditEvent
from vikno.orgs.importers import import_katottg
from vikno.orgs.models import Hromada, Raion, Region, Settlement

HEADER = "Перший рівень;Другий рівень;Третій рівень;Четвертий рівень;Додатковий рівень;Категорія об’єкта;Назва об’єкта"
OBL = "UA01000000000013043"
RAI = "UA01020000000022387"
HRO = "UA01020010000048857"
VIL = "UA01020010010075540"
KYIV = "UA80000000000093317"
GOOD = [
    f"{OBL};;;;;O;Автономна Республіка Крим",
    f"{OBL};{RAI};;;;P;Бахчисарайський",
    f"{OBL};{RAI};{HRO};;;H;Андріївська ",
    f"{OBL};{RAI};{HRO};{VIL};;C;Андріївка",
    f"{OBL};{RAI};{HRO};UA01020010020012345;;X;Степове",
    f"{KYIV};;;;;K;Київ",
    f"{KYIV};{KYIV};{KYIV};{KYIV};UA80000000000126643;B;Голосіївський",
]


def write(tmp_path: Path, rows: list[str], name: str = "k.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode())
    return path


@pytest.mark.django_db
def test_good_file_creates_the_tree_and_strips_names(tmp_path):
    report = import_katottg(write(tmp_path, GOOD))
    assert report.counts == {"O": 1, "P": 1, "H": 1, "C": 1, "X": 1, "K": 1, "B": 1}
    assert report.created == 8  # Kyiv is a region and a hromada
    hromada = Hromada.objects.get(katottg=HRO)
    assert hromada.name == "Андріївська"
    assert hromada.raion == Raion.objects.get(katottg=RAI)
    assert Settlement.objects.get(katottg=VIL).hromada == hromada
    kyiv_hromada = Hromada.objects.get(katottg=KYIV)
    assert kyiv_hromada.raion is None and kyiv_hromada.region == Region.objects.get(katottg=KYIV, category="K")
    district = Settlement.objects.get(katottg="UA80000000000126643")
    assert district.category == "B" and district.hromada == kyiv_hromada


@pytest.mark.django_db
def test_second_import_changes_nothing_and_a_renamed_row_is_updated(tmp_path):
    import_katottg(write(tmp_path, GOOD))
    ids = dict(Settlement.objects.values_list("katottg", "id"))
    events = AuditEvent.objects.count()
    again = import_katottg(write(tmp_path, GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert dict(Settlement.objects.values_list("katottg", "id")) == ids
    assert AuditEvent.objects.count() == events
    renamed = [row.replace("Андріївка", "Андріївка Нова") for row in GOOD]
    third = import_katottg(write(tmp_path, renamed))
    assert (third.created, third.updated) == (0, 1)
    assert Settlement.objects.get(katottg=VIL).name == "Андріївка Нова"


@pytest.mark.django_db
def test_region_filter_imports_only_that_region(tmp_path):
    report = import_katottg(write(tmp_path, GOOD), region_codes=[KYIV])
    assert report.counts == {"K": 1, "B": 1}
    assert list(Region.objects.values_list("katottg", flat=True)) == [KYIV]


@pytest.mark.django_db
def test_region_filter_with_an_unknown_code_is_refused(tmp_path):
    with pytest.raises(ImportProblem) as exc:
        import_katottg(write(tmp_path, GOOD), region_codes=["UA99000000000000000"])
    assert "не знайдено" in exc.value.message
    assert not Region.objects.exists()


BAD_ROWS = [
    (f"{OBL};{RAI};{HRO};UA0102001001007554;;C;Коротка", "не відповідає формату"),
    (f"{OBL};{RAI};{HRO};UA01020010030012345;;T;Смт", "невідома категорія «T»"),
    (f"{OBL};{RAI};UA01020990000011111;UA01020990010012345;;C;Сирота", "батьківський код UA01020990000011111"),
    (f"{OBL};{RAI};{HRO};UA01020010040012345;;C;   ", "порожня назва"),
    (f"{OBL};{RAI};{HRO};UA01020010050012345;;C", "6 стовпців замість 7"),
    (f"{OBL};{RAI};{HRO};UA01020010050012345;;C;Зайва;колонка", "8 стовпців замість 7"),
    (f"{OBL};{RAI};{HRO};UA01020010060012345;;H;Не той рівень", "не відповідає рівню"),
    (f"{OBL};{RAI};{HRO};{VIL};;C;Дубль", f"код {VIL} повторює рядок 5"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "expected"), BAD_ROWS)
def test_each_kind_of_bad_row_is_reported_with_its_line_and_nothing_is_imported(tmp_path, row, expected):
    path = write(tmp_path, [*GOOD, row])
    with pytest.raises(ImportProblem) as exc:
        import_katottg(path)
    assert exc.value.problems == [exc.value.problems[0]]
    assert exc.value.problems[0].startswith("рядок 9:")
    assert expected in exc.value.problems[0]
    assert not Region.objects.exists() and not Settlement.objects.exists()


@pytest.mark.django_db
def test_a_file_with_several_bad_rows_lists_them_all(tmp_path):
    path = write(tmp_path, [*GOOD, BAD_ROWS[0][0], BAD_ROWS[1][0]])
    with pytest.raises(ImportProblem) as exc:
        import_katottg(path)
    assert [p.split(":")[0] for p in exc.value.problems] == ["рядок 9", "рядок 10"]
    assert exc.value.as_dict()["code"] == "import_invalid"


@pytest.mark.django_db
def test_parent_already_in_the_database_is_accepted(tmp_path):
    import_katottg(write(tmp_path, GOOD))
    extra = import_katottg(write(tmp_path, [f"{OBL};{RAI};{HRO};UA01020010070012345;;C;Нове"], name="extra.csv"))
    assert extra.created == 1
    assert Settlement.objects.get(katottg="UA01020010070012345").hromada.katottg == HRO


@pytest.mark.django_db
def test_command_prints_counts(tmp_path, capsys):
    call_command("import_katottg", str(write(tmp_path, GOOD)))
    out = capsys.readouterr().out
    assert "C: 1" in out and "K: 1" in out and "створено 8" in out


@pytest.mark.django_db
def test_command_prints_problems_and_exits_with_code_1(tmp_path, capsys):
    path = write(tmp_path, [*GOOD, BAD_ROWS[1][0]])
    with pytest.raises(CommandError) as exc:
        call_command("import_katottg", str(path))
    assert exc.value.returncode == 1
    assert "рядок 9: невідома категорія" in capsys.readouterr().err
    assert not Region.objects.exists()


REAL_FILE = Path(settings.DATA_DIR) / "katottg" / "kodifikator-2025-07-02.csv"


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.skipif(not REAL_FILE.is_file(), reason="the codifier file is not in VIKNO_DATA_DIR")
def test_real_file_imports_fully_with_the_documented_counts_and_twice_changes_nothing():
    started = time.monotonic()
    report = import_katottg(REAL_FILE)
    assert report.counts == {"C": 27237, "X": 2007, "H": 1772, "M": 461, "P": 136, "B": 108, "O": 25, "K": 2}
    assert Region.objects.count() == 27
    assert Raion.objects.count() == 136
    assert Hromada.objects.count() == 1772 + 2
    assert Settlement.objects.count() == 27237 + 2007 + 461 + 108
    assert Hromada.objects.filter(raion__isnull=False).exclude(region__katottg="UA01000000000013043").count() == 1469
    kyiv_districts = Settlement.objects.filter(category="B", hromada__katottg=KYIV)
    assert kyiv_districts.count() == 10
    assert not Hromada.objects.filter(name__endswith=" ").exists()
    again = import_katottg(REAL_FILE)
    assert (again.created, again.updated) == (0, 0)
    assert time.monotonic() - started < 60  # bulk writes: a few seconds; per-row saves would take minutes


@pytest.mark.django_db
def test_settlement_directly_under_the_oblast_has_no_hromada(tmp_path):
    oblast = "UA32000000000030281"
    rows = [f"{oblast};;;;;O;Київська", f"{oblast};{oblast};{oblast};UA32000000010085013;;M;Прип’ять"]
    import_katottg(write(tmp_path, rows))
    pripyat = Settlement.objects.get(katottg="UA32000000010085013")
    assert pripyat.hromada is None and pripyat.region.katottg == oblast


@pytest.mark.django_db
def test_a_file_in_another_encoding_is_refused(tmp_path):
    path = tmp_path / "cp1251.csv"
    path.write_bytes(("\r\n".join([HEADER, *GOOD]) + "\r\n").encode("cp1251", errors="replace"))
    with pytest.raises(ImportProblem) as exc:
        import_katottg(path)
    assert "UTF-8" in exc.value.problems[0]
    assert not Region.objects.exists()
