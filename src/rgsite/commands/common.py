"""Arguments several commands share."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from rgsite.errors import UsageError
from rgsite.read.discover import is_site, not_a_site


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    parser.add_argument("-v", "--verbose", action="store_true", help="print timings and detail")


def site_folder(value: str) -> Path:
    """``SITE``: a folder that holds a site, or a usage error (exit 2) saying what to do."""
    site = Path(value)
    if not site.is_dir():
        raise UsageError(f"'{value}' is not a folder")
    if not is_site(site):
        raise UsageError(not_a_site(value))
    return site


def now_option(value: str | None) -> datetime | None:
    """``--now``: an ISO date-time; without an offset it is taken as UTC."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--now '{value}' is not an ISO date-time like 2023-01-20T12:00-07:00"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
