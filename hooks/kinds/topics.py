"""What well-known modules are about, in the words people use for tasks.

A ``banned-api`` of ``time.time`` is about timing and clocks, a ``dependencies`` rule
forbidding ``boto3`` about buckets and uploads; the decision's own text rarely says
so. Each kind's ``vocabulary`` (``Kind.vocabulary``) draws on this table so that
``charter context --task "log how long each request took"`` finds the clock rule. The
longest matching module prefix wins: ``time.sleep`` is about waiting, ``time`` about
clocks.
"""

from __future__ import annotations

from collections.abc import Iterable

_TIME = "time clock timing duration elapsed took long measure timestamp now latency slow"
_DATE = "date time clock now today current timestamp expire expiry deadline due minute hour day"
_HTTP = "http https request client call api web service fetch download rest external network"
_THREADS = "thread background concurrent parallel later job queue worker without waiting"

IMPORTS = "import imports depend dependency call calls use reuse module reach access"

TOPICS: dict[str, str] = {
    "time": _TIME,
    "time.sleep": "sleep wait pause delay retry backoff poll again later until",
    "datetime": _DATE,
    "threading": _THREADS,
    "concurrent.futures": _THREADS,
    "asyncio": "async await concurrent background event loop",
    "os.environ": "environment variable setting configuration config secret token credential "
    "key url address deploy flag password",
    "os.getenv": "environment variable setting configuration config secret token credential "
    "key url address deploy flag password",
    "os.system": "shell command cli process run execute tool binary script",
    "subprocess": "shell command cli process run execute tool binary script git",
    "builtins.print": "print console output stdout debug log show dump display",
    "logging": "log logging logger message output debug configure setup",
    "hashlib": "hash hashing password digest checksum crypto security signature",
    "pickle": "pickle serialize save load dump store file cache object model snapshot persist "
    "reload reuse",
    "random": "random randomly sample sampling shuffle choice seed reproducible split bucket "
    "assign generate",
    "numpy.random": "random randomly sample sampling shuffle seed reproducible generate",
    "eval": "eval dynamic code expression execute security",
    "builtins.eval": "eval dynamic code expression execute security",
    "sqlalchemy": "database sql orm query table session row column save load fetch persist",
    "sqlite3": "database sql query table",
    "psycopg2": "database postgres sql query",
    "httpx": _HTTP,
    "requests": _HTTP,
    "urllib3": _HTTP,
    "urllib": _HTTP,
    "aiohttp": _HTTP,
    "stripe": "payment pay charge card refund money checkout billing",
    "boto3": "aws s3 bucket upload download object storage cloud file",
    "google_cloud_storage": "gcs google cloud bucket storage upload download file",
    "pandas": "dataframe frame table group aggregate column row csv data statistics",
    "polars": "dataframe frame table group aggregate column row csv data",
    "fastapi": "web api endpoint route handler request response http",
    "flask": "web api endpoint route handler request response http",
    "django": "web api endpoint view model request response http",
    "celery": "task job background queue worker schedule",
}


def about(names: Iterable[str]) -> str:
    """The words for what the modules or qualified names in ``names`` are about."""
    words: list[str] = []
    for name in names:
        key = name.replace("-", "_")
        while key and key not in TOPICS:
            key = key.rpartition(".")[0]
        if key:
            words.append(TOPICS[key])
    return " ".join(words)
