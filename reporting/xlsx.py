"""The same XLSX bytes for the same content: openpyxl stamps a workbook with the moment it is saved
(``docProps/core.xml``'s created and modified, and every zip entry's time), so two renders of one
report would differ and a retried render would get another checksum. ``fix_times`` copies a saved
workbook with those stamps set to a moment of the caller's choice (a report's request time), entry by
entry in constant memory.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from typing import IO

_STAMPS = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
CORE = "docProps/core.xml"


def fix_times(source: IO[bytes], target: IO[bytes], *, moment: dt.datetime) -> None:
    """Copy the workbook in ``source`` to ``target`` with its created/modified properties and its zip
    entries' times set to ``moment`` (stored in UTC, to the second)."""
    utc = moment.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    stamp = utc.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=utc.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            if info.filename == CORE:
                new.writestr(entry, _STAMPS.sub(lambda m: m.group(1) + stamp + m.group(3), old.read(info)))
                continue
            with old.open(info) as read, new.open(entry, "w") as write:
                shutil.copyfileobj(read, write, 1 << 20)


def with_fixed_times(content: bytes, *, moment: dt.datetime) -> bytes:
    """``fix_times`` for a workbook held in memory."""
    out = io.BytesIO()
    fix_times(io.BytesIO(content), out, moment=moment)
    return out.getvalue()
