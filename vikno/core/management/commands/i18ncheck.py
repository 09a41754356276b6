"""Check the Ukrainian translation catalog: complete, not fuzzy, placeholders kept, nothing missing.

The project keeps one catalog, ``vikno/locale/<lang>/LC_MESSAGES/django.po``; msgids are English and the
``uk`` catalog must translate every one of them. This module reads ``.po`` files with a small parser of
its own and finds the translatable literals in templates and Python code, so that
``manage.py i18ncheck`` (and ``vikno/core/tests/test_i18n.py``) names every string a developer added
without running ``makemessages`` and translating it.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SOURCE_ROOT = Path(settings.BASE_DIR) / "vikno"
CATALOG_DIR = Path(settings.BASE_DIR) / "vikno" / "locale"
UK_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
# Folders makemessages is told to skip (see Makefile / README): their strings are not in the catalog.
SKIPPED_DIRS = {"tests", "migrations", "__pycache__", "locale", "static"}
GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}


# --- .po files ----------------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{path}:{number}: expected a quoted string, got {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file in file order (obsolete ``#~`` entries are left out)."""
    entries: list[Entry] = []
    current: Entry | None = None
    pending_flags: set[str] = set()
    pending_refs: list[str] = []
    target: tuple[str, int] | None = None  # which string continuation lines extend

    def finish():
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr:
                finish()
            if line.startswith("#,"):
                pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            elif line.startswith("#:"):
                pending_refs += line[2:].split()
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{path}:{number}: a string continuation outside an entry")
            value = _unquote(line, path, number)
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, getattr(current, name) + value)
            continue
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr or keyword == "msgctxt"):
            finish()
            current = Entry(msgid="", flags=pending_flags, references=pending_refs, line=number)
            pending_flags, pending_refs = set(), []
        if current is None:
            raise ValueError(f"{path}:{number}: {keyword} before msgid")
        value = _unquote(rest, path, number)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(current, keyword, value)
            target = (keyword, 0)
        elif keyword == "msgstr":
            current.msgstr[0] = value
            target = ("msgstr", 0)
        elif m := re.fullmatch(r"msgstr\[(\d+)\]", keyword):
            current.msgstr[int(m.group(1))] = value
            target = ("msgstr", int(m.group(1)))
        else:
            raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")
    finish()
    return entries


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = next((e for e in entries if e.is_header), None)
    if header is None:
        return {}
    pairs = (line.partition(":") for line in header.msgstr.get(0, "").splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, _, value in pairs}


_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")


def placeholders(text: str) -> list[str]:
    """printf-style placeholders of a python-format string, sorted (``%%`` is a literal, not counted)."""
    return sorted(p for p in _PLACEHOLDER.findall(text) if p != "%%")


def catalog_problems(path: Path) -> list[str]:
    """Why the Ukrainian catalog at ``path`` is not ready: untranslated, fuzzy or broken entries."""
    entries = parse_po(path)
    problems = []
    fields = header_fields(entries)
    if fields.get("Language") != "uk":
        problems.append(f"{path}: header Language is {fields.get('Language')!r}, expected 'uk'")
    if fields.get("Plural-Forms", "").replace(" ", "") != UK_PLURAL_FORMS.replace(" ", ""):
        problems.append(f"{path}: header Plural-Forms must be {UK_PLURAL_FORMS!r}")
    for entry in entries:
        if entry.is_header:
            continue
        where = f"{path.name}:{entry.line} msgid {entry.msgid!r}"
        if entry.fuzzy:
            problems.append(f"{where} is marked fuzzy: check the translation and remove the flag")
        forms = range(3) if entry.msgid_plural is not None else range(1)
        for index in forms:
            if not entry.msgstr.get(index, "").strip():
                problems.append(f"{where} has no Ukrainian translation (msgstr[{index}])")
        expected = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural or ""))
        for index, text in entry.msgstr.items():
            if text and set(placeholders(text)) != expected:
                problems.append(
                    f"{where}: placeholders of msgstr[{index}] {sorted(set(placeholders(text)))} "
                    f"differ from the msgid's {sorted(expected)}"
                )
    return problems


# --- Sources ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    msgid: str
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path.relative_to(settings.BASE_DIR)}:{self.line} {self.msgid!r}"


def _skipped(path: Path) -> bool:
    return any(part in SKIPPED_DIRS for part in path.relative_to(SOURCE_ROOT).parts)


_TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')(.*?)%}""", re.S)
_BLOCK_TAG = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)\b(?P<args>.*?)%}(?P<body>.*?)(?:{%\s*plural\s*%}.*?)?"
    r"{%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.S,
)
_VARIABLE = re.compile(r"{{\s*([\w.]+)\s*}}")
# _("...") as a filter or tag argument, e.g. {{ flag|yesno:_("yes,no") }}
_UNDERSCORE = re.compile(r"""(?<![\w.])_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)""")


def _block_msgid(args: str, body: str) -> str:
    if re.search(r"\btrimmed\b", args):
        body = re.sub(r"\s*\n\s*", " ", body.strip())
    return _VARIABLE.sub(lambda m: f"%({m.group(1)})s", body.replace("%", "%%"))


def template_literals(path: Path) -> list[Literal]:
    text = path.read_text(encoding="utf-8")
    found = []
    for m in _TRANSLATE_TAG.finditer(text):
        if re.search(r"\bcontext\b", m.group(3)):
            continue  # pgettext-style strings are keyed by their context too; not checked here
        msgid = m.group(1) if m.group(1) is not None else m.group(2)
        found.append(Literal(msgid, path, text.count("\n", 0, m.start()) + 1))
    for m in _UNDERSCORE.finditer(text):
        msgid = m.group(1) if m.group(1) is not None else m.group(2)
        found.append(Literal(msgid, path, text.count("\n", 0, m.start()) + 1))
    for m in _BLOCK_TAG.finditer(text):
        if re.search(r"\bcontext\b", m.group("args")):
            continue
        found.append(Literal(_block_msgid(m.group("args"), m.group("body")), path, text.count("\n", 0, m.start()) + 1))
    return found


def python_literals(path: Path) -> list[Literal]:
    source = path.read_text(encoding="utf-8")
    if "django.utils.translation" not in source:
        return []
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in GETTEXT_FUNCTIONS:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append(Literal(first.value, path, node.lineno))
    return found


def source_literals() -> list[Literal]:
    """Every simple translatable literal in the project's templates and Python code."""
    literals = []
    for path in sorted(SOURCE_ROOT.glob("**/templates/**/*")):
        if path.suffix in (".html", ".txt") and not _skipped(path):
            literals += template_literals(path)
    for path in sorted(SOURCE_ROOT.glob("**/*.py")):
        if not _skipped(path):
            literals += python_literals(path)
    return literals


def missing_literals(path: Path) -> list[Literal]:
    """Literals of the sources that are not msgids of the catalog at ``path``."""
    known = {entry.msgid for entry in parse_po(path) if entry.msgctxt is None}
    return [literal for literal in source_literals() if literal.msgid not in known]


class Command(BaseCommand):
    help = (
        "Check vikno/locale/uk/LC_MESSAGES/django.po: every msgid translated, no fuzzy entries, placeholders "
        "kept, and every string marked in templates and Python code present. Exits with an error on problems."
    )

    def handle(self, *args, **options):
        path = CATALOG_DIR / "uk" / "LC_MESSAGES" / "django.po"
        if not path.exists():
            raise CommandError(f"{path} does not exist: run `manage.py makemessages -l uk -l en` (see README).")
        problems = catalog_problems(path)
        problems += [f"not in the catalog (run makemessages and translate): {lit}" for lit in missing_literals(path)]
        for problem in problems:
            self.stdout.write(f"- {problem}")
        if problems:
            raise CommandError(f"{len(problems)} translation problem(s).")
        count = sum(1 for entry in parse_po(path) if not entry.is_header)
        self.stdout.write(f"The Ukrainian catalog is complete: {count} entries.")
