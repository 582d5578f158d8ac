"""The domains have a direction: a package may import only the packages below it.

Every ``.py`` under ``src/serai`` (tests and migrations aside) is parsed with ``ast``; every
reference to another Serai package counts, wherever it is written:

- ``import serai.x`` / ``from serai.x import y`` / ``from serai import x``, at module level or
  inside a function, and relative imports (``from ..x import y``);
- string-based dodges: ``apps.get_model("x", ...)`` / ``get_model("x.Model")``,
  ``import_module("serai.x")``, ``import_string("serai.x....")``, ``__import__("serai.x")``, and a
  model relation to a string label (``ForeignKey("x.Model")``).

A reference from a package to one above it in ``ORDER`` is an upward edge and fails the test with
its file and line. Packages named in ``ORDER`` may be absent (they are being written); a package
that is present but not named fails too, so the order is decided when a package is added.
The top-level modules (``urls.py``, ``api_urls.py``, ``cli.py``, ``settings.py``, ...) wire
everything together and may import anything. ``serai.trade`` is a plain library: it imports no
other Serai package (and no Django: ``trade/tests`` proves that).
"""

import ast
import textwrap
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]  # src/serai

# Lowest first. A package may import itself and any package before it.
ORDER = [
    "core",
    "access",
    "reference",
    "workspace",  # notifications: models, kinds, recipients, delivery, notify()
    "orgs",
    "people",
    "evidence",
    "projects",
    "governance",
    "iati",
    "network",
    "matchmaking",
    "reminders",  # reminders, digests, personal calendars: reads governance, writes through workspace.notify
    "reports",
    "controlroom",
    "desk",  # "my work" pages
    "portal",
    "demo",  # demo data: reads and writes every domain through its operations
]
RANK = {name: i for i, name in enumerate(ORDER)}
# A plain library below everything: it may import no other Serai package.
LIBRARIES = {"trade"}
# Not packages of code.
NOT_PACKAGES = {"locale", "var", "__pycache__"}

RELATION_CALLS = {"ForeignKey", "OneToOneField", "ManyToManyField"}

# Model relations that point up, by label: schema, not code (a row of a lower package refers to a
# row of a higher one; only the relation names the model, nothing imports it). Each is listed with
# its reason; any other upward relation fails, and so does a listed one that no longer exists.
UPWARD_RELATIONS = {
    ("access", "reference.MemberState"): "a focal point's role is scoped to a member state",
    ("access", "reference.Body"): "a subcommittee member's role is scoped to a body",
    ("access", "orgs.Organisation"): "an organisation editor's role is scoped to an organisation",
    ("projects", "governance.Meeting"): "a project is endorsed at a Forum session (and a timeline row names it)",
}
MODULE_STRING_CALLS = {"import_module", "import_string", "__import__"}


def _call_name(func):
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _const_str(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _serai_package(dotted):
    """'serai.projects.models' -> 'projects'; anything else -> None."""
    parts = dotted.split(".")
    if len(parts) >= 2 and parts[0] == "serai":
        return parts[1]
    return None


def references(source, module):
    """(package, line, what) for every reference to a Serai package in ``source``.

    ``module`` is the dotted name of the file ("serai.governance.views"; a package's
    ``__init__`` is "serai.governance.__init__"), used to resolve relative imports.
    """
    tree = ast.parse(source)
    found = []
    here = module.split(".")[:-1]  # the file's package
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                pkg = _serai_package(alias.name)
                if pkg:
                    found.append((pkg, node.lineno, f"import {alias.name}"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            pkg = _serai_package(target)
            if pkg:
                found.append((pkg, node.lineno, f"from {target} import ..."))
            elif target == "serai":
                for alias in node.names:
                    found.append((alias.name, node.lineno, f"from serai import {alias.name}"))
        elif isinstance(node, ast.Call):
            name = _call_name(node.func)
            first = _const_str(node.args[0]) if node.args else None
            if first is None:
                continue
            if name == "get_model":
                found.append((first.split(".")[0], node.lineno, f"get_model({first!r})"))
            elif name in RELATION_CALLS and "." in first:
                found.append((first.split(".")[0], node.lineno, f"{name}({first!r})"))
            elif name in MODULE_STRING_CALLS:
                pkg = _serai_package(first)
                if pkg:
                    found.append((pkg, node.lineno, f"{name}({first!r})"))
    return found


def upward_edges(source, module):
    """The references in ``source`` that point above its own package: (target, line, what)."""
    own = _serai_package(module)
    bad = []
    for target, line, what in references(source, module):
        if target == own or target in NOT_PACKAGES:
            continue
        if own in LIBRARIES:
            bad.append((target, line, what))
        elif target in LIBRARIES:
            continue
        elif target not in RANK or own not in RANK:
            continue  # app labels of Django or third parties; unknown packages are caught below
        elif RANK[target] > RANK[own] and not _declared_relation(own, what):
            bad.append((target, line, what))
    return bad


def _declared_relation(own, what):
    name, _, label = what.partition("(")
    return name in RELATION_CALLS and (own, label.strip("')\"")) in UPWARD_RELATIONS


def _files():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if len(rel.parts) < 2:
            continue  # top-level modules wire everything together
        if "tests" in rel.parts or "migrations" in rel.parts or "__pycache__" in rel.parts:
            continue
        yield path, rel


def test_every_package_has_a_place_in_the_order():
    present = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    unplaced = sorted(present - set(ORDER) - LIBRARIES - NOT_PACKAGES)
    assert not unplaced, f"add these packages to ORDER in {__file__}: {unplaced}"


def test_no_package_imports_one_above_it():
    problems = []
    for path, rel in _files():
        module = "serai." + ".".join(rel.with_suffix("").parts)
        for target, line, what in upward_edges(path.read_text(encoding="utf-8"), module):
            problems.append(f"src/serai/{rel}:{line}: {rel.parts[0]} -> {target} ({what})")
    assert not problems, "upward imports (lowest first: " + " → ".join(ORDER) + "):\n" + "\n".join(problems)


def test_every_declared_upward_relation_exists():
    seen = set()
    for path, rel in _files():
        module = "serai." + ".".join(rel.with_suffix("").parts)
        for _target, _line, what in references(path.read_text(encoding="utf-8"), module):
            if _declared_relation(rel.parts[0], what):
                seen.add((rel.parts[0], what.partition("(")[2].strip("')\"")))
    assert set(UPWARD_RELATIONS) <= seen, f"no longer used; remove: {sorted(set(UPWARD_RELATIONS) - seen)}"


PLANTED = textwrap.dedent(
    """
    from serai.core import audit
    from serai.access import permissions
    import serai.portal.views
    from serai import desk
    from ..network import queries
    from . import models

    def hidden():
        from serai.projects.models import Project
        return Project

    def dodges(apps):
        apps.get_model("governance", "Meeting")
        apps.get_model("iati.Publication")
        import_module("serai.workspace.kinds")
        importlib.import_module("serai.access.rules")

    class Thing:
        project = models.ForeignKey("projects.Project", on_delete=models.CASCADE)
        owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    """
)


def test_the_check_finds_planted_upward_references():
    bad = upward_edges(PLANTED, "serai.orgs.operations")
    assert sorted((target, what.split("(")[0].split(" ")[0]) for target, _, what in bad) == sorted(
        [
            ("portal", "import"),
            ("desk", "from"),
            ("network", "from"),
            ("projects", "from"),
            ("governance", "get_model"),
            ("iati", "get_model"),
            ("projects", "ForeignKey"),
        ]
    )
    lines = {what: line for _, line, what in bad}
    assert lines["from serai.projects.models import ..."] == 10  # inside a function
    # below or beside it: nothing
    assert upward_edges(PLANTED, "serai.demo.loader") == []


def test_a_declared_upward_relation_is_allowed_only_where_declared():
    source = 'body = models.ForeignKey("reference.Body", on_delete=models.CASCADE)\n'
    assert upward_edges(source, "serai.access.models") == []
    assert [t for t, _, _ in upward_edges(source, "serai.core.models")] == ["reference"]
    other = 'project = models.ForeignKey("projects.Project", on_delete=models.CASCADE)\n'
    assert [t for t, _, _ in upward_edges(other, "serai.access.models")] == ["projects"]


def test_relative_imports_resolve_to_their_package():
    refs = references("from ..projects import queries\nfrom . import models\n", "serai.orgs.views")
    assert [(pkg, what) for pkg, _, what in refs] == [
        ("projects", "from serai.projects import ..."),
        ("orgs", "from serai.orgs import ..."),
    ]


@pytest.mark.parametrize("source", ["import serai.core.fields", "from serai.orgs import models"])
def test_the_library_imports_no_serai_package(source):
    assert upward_edges(source, "serai.trade.store")
