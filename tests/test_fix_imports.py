"""The imports a fix adds and removes (``fixes/edits.py``), case by case.

Each case is the text of ``app/m.py`` before ``charter fix`` and the text it must have
after, byte for byte: where the new import goes, which imports are left unused and go,
and what of the user's layout and comments stays.
"""

from __future__ import annotations

import pytest

from charter.hooks.fixes import Fixed, Plan, fix_source

CLOCK = Plan(names={"datetime.datetime.now": "app.clock.now"})
REPOSITORIES = Plan(modules={"app.db": "lib.repositories"})

CASES = {
    "merged into the head's import from the same module": (
        CLOCK,
        "from app.clock import today\nimport datetime\n\nX = datetime.datetime.now()\n",
        "from app.clock import now, today\n\nX = now()\n",
    ),
    "merged into a relative import of the same module": (
        CLOCK,
        "from .clock import today\nimport datetime\n\nX = datetime.datetime.now()\n",
        "from .clock import now, today\n\nX = now()\n",
    ),
    "not imported twice": (
        CLOCK,
        "import datetime\nfrom app.clock import now\n\nX = datetime.datetime.now()\n",
        "from app.clock import now\n\nX = now()\n",
    ),
    "a removed import's comment stays": (
        CLOCK,
        '"""Doc."""\n\nimport os\n# the wall clock\nimport datetime\n\n'
        "X = datetime.datetime.now()\n",
        '"""Doc."""\n\nimport os\n# the wall clock\nfrom app.clock import now\n\nX = now()\n',
    ),
    "a name __all__ exports stays imported": (
        CLOCK,
        'import datetime\n\n__all__ = ["datetime"]\nX = datetime.datetime.now()\n',
        'import datetime\nfrom app.clock import now\n\n__all__ = ["datetime"]\nX = now()\n',
    ),
    "a name a string annotation uses stays imported": (
        CLOCK,
        'import datetime\n\n\ndef f() -> "datetime.date":\n    return datetime.datetime.now()\n',
        'import datetime\nfrom app.clock import now\n\n\ndef f() -> "datetime.date":\n'
        "    return now()\n",
    ),
    "a parameter of the same name is not a use": (
        CLOCK,
        "import datetime\n\n\ndef f(datetime):\n    return datetime\n\n\n"
        "X = datetime.datetime.now()\n",
        "from app.clock import now\n\n\ndef f(datetime):\n    return datetime\n\n\nX = now()\n",
    ),
    "one name of a parenthesized import, trailing comma kept": (
        CLOCK,
        "from datetime import (\n    date,  # today\n    datetime,  # the class\n)\n\n"
        "X = datetime.now(), date\n",
        "from datetime import (\n    date,  # today\n)\nfrom app.clock import now\n\n"
        "X = now(), date\n",
    ),
    "one name of a parenthesized import, no trailing comma": (
        CLOCK,
        "from datetime import (\n    date,  # today\n    datetime\n)\n\nX = datetime.now(), date\n",
        "from datetime import (\n    date  # today\n)\nfrom app.clock import now\n\n"
        "X = now(), date\n",
    ),
    "one module of `import a.b, c`": (
        CLOCK,
        "import os.path, datetime\n\nX = datetime.datetime.now(), os.path.sep\n",
        "import os.path\nfrom app.clock import now\n\nX = now(), os.path.sep\n",
    ),
    "a block left empty gets `pass`": (
        CLOCK,
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import datetime\n\n"
        "X = datetime.datetime.now()\n",
        "from typing import TYPE_CHECKING\nfrom app.clock import now\n\nif TYPE_CHECKING:\n"
        "    pass\n\nX = now()\n",
    ),
    "an import on its block's line": (
        CLOCK,
        "import sys\n\nif sys:  import datetime; import os\n\nX = datetime.datetime.now(), os\n",
        "import sys\nfrom app.clock import now\n\nif sys:  import os\n\nX = now(), os\n",
    ),
    "a module from another package, imported as the old name": (
        REPOSITORIES,
        '"""Doc."""\nfrom app import db, services\nfrom lib import other\n\n'
        "X = db.query(services)\n",
        '"""Doc."""\nfrom app import services\nfrom lib import repositories as db, other\n\n'
        "X = db.query(services)\n",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_fix_edits_the_imports(case: str) -> None:
    plan, before, after = CASES[case]
    result = fix_source("app/m.py", before, "app.m", plan)
    assert isinstance(result, Fixed)
    assert result.after == after
    again = fix_source("app/m.py", result.after, "app.m", plan)
    assert not isinstance(again, Fixed)  # a second run changes nothing
