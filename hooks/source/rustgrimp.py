"""grimp's Rust scanner, imported without grimp's own start-up when nothing else needs it.

``import grimp._rustgrimp`` first runs ``grimp/__init__.py``, which imports grimp's whole
application layer (its graph, caching, ``logging``, ``traceback``, ``textwrap``): ~12 ms
of a 5-file ``check --staged`` (issue 15), while the scan needs only the compiled module,
the value objects it builds its answer from (``grimp.domain.valueobjects``) and the
records of its arguments (``grimp.application.ports.modulefinder``).

So when no one has imported grimp yet, the package's module is made from its spec and
put in ``sys.modules`` without running its ``__init__``; the submodules import as usual
beneath it. The package is completed, by running that ``__init__`` in it, the first time
anything asks it for a name it does not have yet (``import grimp; grimp.build_graph``,
``from grimp import ImportGraph``), under a lock: a program that uses grimp after
Charter's scan sees the package it always sees. If the package cannot be found this way,
or grimp was imported already, it is imported as usual.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import sys
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import Any, NamedTuple

PACKAGE = "grimp"


def rust() -> Any:
    """grimp's compiled module (untyped: it ships no stubs); ImportError when absent."""
    found = sys.modules.get(f"{PACKAGE}._rustgrimp")
    if found is not None:
        return found
    deferred = None if PACKAGE in sys.modules else _deferred_package(PACKAGE)
    try:
        return importlib.import_module(f"{PACKAGE}._rustgrimp")
    except ImportError:
        if deferred is not None and sys.modules.get(PACKAGE) is deferred:
            del sys.modules[PACKAGE]  # a later ``import grimp`` says what is wrong
        raise


def scan_arguments() -> tuple[Any, Any, Any]:
    """grimp's records for ``scan_for_imports``: ``FoundPackage``, ``ModuleFile``, ``Module``
    (what ``plain_answers`` gives when grimp refuses ``light_arguments``)."""
    from grimp.application.ports.modulefinder import FoundPackage, ModuleFile
    from grimp.domain.valueobjects import Module

    return FoundPackage, ModuleFile, Module


class _Package(NamedTuple):
    name: str
    directory: str
    module_files: frozenset[Any]
    namespace_packages: frozenset[str] = frozenset()


class _File(NamedTuple):
    module: Any
    mtime: float


class _Module(NamedTuple):
    name: str


def light_arguments() -> tuple[Any, Any, Any]:
    """Records of ``scan_for_imports``'s arguments that grimp's Rust code reads as it
    reads its own, attribute by attribute (``FoundPackage``'s ``name``, ``directory``,
    ``module_files``, ``namespace_packages``; ``ModuleFile.module``; ``Module.name``):
    named tuples, made and hashed in C, where grimp's are frozen dataclasses whose
    ``__init__`` and ``__hash__`` run in Python (~50 ms of the bench's generated tree's
    scan). A grimp that reads them otherwise refuses them: ``native`` then gives it its
    own (``scan_arguments``)."""
    return _Package, _File, _Module


# What grimp's scan makes of each import it finds while ``plain_answers`` holds: its
# line and the module imported, in one string (``"12 django.db"``).
ANSWER = "{line_number} {imported}"
_SCANNING = threading.Lock()  # one scan at a time changes grimp's value objects


@contextlib.contextmanager
def plain_answers(light: bool = True) -> Iterator[tuple[Any, Any, Any]]:
    """``light_arguments()`` (``light``) or ``scan_arguments()``, while grimp's scan
    answers with plain strings.

    The Rust scan builds each import it finds by calling the classes it looks up in
    ``grimp.domain.valueobjects`` on every call: a ``DirectImport`` and two ``Module``
    records, each a Python ``__init__`` run holding the GIL (~1 s of the bench's
    generated tree's 91,000 imports, a third of its scan). Meanwhile ``Module`` is
    ``str`` and ``DirectImport`` formats ``ANSWER``, both C calls: the answer's keys are
    the modules' names and its items strings. A grimp that builds its answer some
    other way gives its own records (``native`` reads both). grimp's own argument
    records are taken before the change; one scan at a time makes it, and it is undone
    after.
    """
    from grimp.domain import valueobjects

    with _SCANNING:
        arguments = light_arguments() if light else scan_arguments()
        plain: dict[str, object] = {"Module": str, "DirectImport": ANSWER.format}
        saved = {name: getattr(valueobjects, name) for name in plain}
        _set(valueobjects, plain)
        try:
            yield arguments
        finally:
            _set(valueobjects, saved)


def _set(module: ModuleType, values: dict[str, object]) -> None:
    for name, value in values.items():
        setattr(module, name, value)


def _deferred_package(name: str) -> ModuleType | None:
    """The package, in ``sys.modules``, its ``__init__`` run on the first name asked for;
    None when it cannot be found this way (the ordinary import then says why)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    loader = None if spec is None else spec.loader
    if spec is None or loader is None or spec.submodule_search_locations is None:
        return None
    package = importlib.util.module_from_spec(spec)
    lock = threading.RLock()
    ran = False

    def __getattr__(attribute: str) -> Any:
        nonlocal ran
        with lock:
            if not ran:
                ran = True  # first: the __init__ asks the package for names as it runs
                loader.exec_module(package)
        try:
            return package.__dict__[attribute]
        except KeyError:
            raise AttributeError(f"module {name!r} has no attribute {attribute!r}") from None

    package.__getattr__ = __getattr__  # type: ignore[method-assign]
    return sys.modules.setdefault(name, package)
