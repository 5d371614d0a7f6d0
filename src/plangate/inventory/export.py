"""Read a Cloud Asset Inventory export from files, streamed record by record.

Accepted: ExportAssets newline-delimited JSON (one file, gzip-compressed or not, or a folder of
shards such as `PREFIX/storage.googleapis.com/Bucket/0`) and the JSON array of
`gcloud asset list --format=json`. Exports run to gigabytes, so no file is ever read whole: NDJSON
is read line by line and an array element by element from a sliding window.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import json
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from plangate.errors import InputError
from plangate.inventory.decode import asset_from_dict
from plangate.inventory.errors import InventoryIncomplete
from plangate.inventory.model import Asset, InventorySource

CHUNK_SIZE = 1 << 16
"""Characters read at a time from a JSON array (tests make it tiny to split elements)."""

_GZIP_MAGIC = b"\x1f\x8b"
_NON_SPACE = re.compile(r"[^ \t\r\n]")
_STRUCTURE = re.compile(r'[][{}:,"]')
_DECODER = json.JSONDecoder()
_TERRAFORM_KEYS = {"resource_changes", "planned_values", "values"}
_EXPECTED = (
    "expected ExportAssets newline-delimited JSON (one asset per line) "
    "or the array of `gcloud asset list --format=json`"
)


class ExportInventory:
    """The assets of an export file or folder, in file order, then line or element order.

    Each file's sha256 is computed while its records are streamed rather than in a separate
    pass: every file is read once (exports are large and often on network mounts), and the hash
    is of exactly the bytes that were judged, where a second pass could hash a file that changed
    in between. So `source` is complete only once `records()` has been read to the end; before
    that it raises rather than hand evidence a partial list of files.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._files = _export_files(path)
        count = len(self._files)
        self._description = f"Cloud Asset Inventory export {path}" + (
            f" ({count} file{'s' * (count > 1)})" if path.is_dir() else ""
        )
        self._hashes: tuple[tuple[str, str], ...] | None = None

    @property
    def source(self) -> InventorySource:
        if self._hashes is None:
            raise RuntimeError("ExportInventory.source is known only after records() is exhausted")
        return InventorySource(kind="export", description=self._description, files=self._hashes)

    def records(self) -> Iterator[Asset]:
        """Every record; raises InventoryIncomplete on a truncated or empty export."""
        self._hashes = None
        hashes: list[tuple[str, str]] = []
        assets = itertools.chain.from_iterable(_read_file(file, hashes) for file in self._files)
        first = next(assets, None)
        if first is None:
            raise InventoryIncomplete(
                f"{self.path}: no assets: an empty export cannot show the project is in sync"
            )
        yield first
        yield from assets
        self._hashes = tuple(hashes)


def _export_files(path: Path) -> tuple[Path, ...]:
    if path.is_dir():
        return _walk(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder; {_EXPECTED}")
    return (path,)


def _walk(root: Path) -> tuple[Path, ...]:
    """Every regular file under root, sorted; dotfiles (.DS_Store, .git/) and READMEs are not
    shards, and an unreadable subfolder is refused rather than silently left out."""

    def refuse(error: OSError) -> NoReturn:
        raise InputError(f"{error.filename}: cannot read ({error.strerror}); {_EXPECTED}")

    found = []
    for folder, subfolders, names in os.walk(root, onerror=refuse):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found += [
            Path(folder, name)
            for name in names
            if not name.startswith(".")
            and not name.upper().startswith("README")
            and Path(folder, name).is_file()
        ]
    if not found:
        raise InputError(f"{root}: a folder with no export files; {_EXPECTED}")
    return tuple(sorted(found))


class _Hashed(io.RawIOBase):
    """A raw file that hashes its bytes as they are read (compressed, as stored)."""

    def __init__(self, file: io.FileIO) -> None:
        super().__init__()
        self._file = file
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._file.readinto(buffer) or 0
        self.sha256.update(memoryview(buffer)[:count])
        return count


def _read_file(path: Path, hashes: list[tuple[str, str]]) -> Iterator[Asset]:
    """The assets of one file; once they are all read, its (path, sha256) goes into hashes."""
    name = str(path)
    try:
        with path.open("rb", buffering=0) as file:
            hashed = _Hashed(file)
            buffered = io.BufferedReader(hashed, CHUNK_SIZE)
            binary: io.BufferedIOBase = buffered
            if buffered.peek(2)[:2] == _GZIP_MAGIC:
                binary = gzip.GzipFile(fileobj=buffered, mode="rb")
            yield from _assets(io.TextIOWrapper(binary, encoding="utf-8-sig"), name)
            hashes.append((name, hashed.sha256.hexdigest()))
    except EOFError:  # gzip's stream ended before its end marker
        _truncated(name)
    except (gzip.BadGzipFile, zlib.error) as error:
        raise InputError(f"{name}: a corrupt gzip file ({error}); {_EXPECTED}") from None
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text; {_EXPECTED}") from None
    except OSError as error:
        raise InputError(f"{name}: cannot read ({error.strerror}); {_EXPECTED}") from None


def _assets(text: io.TextIOWrapper, name: str) -> Iterator[Asset]:
    """Sniff the first non-blank line: `[` opens a gcloud array, anything else is NDJSON."""
    number = 1
    while head := text.readline(CHUNK_SIZE):  # bounded: a compact array may be one line
        if head.strip():
            break
        number += head.endswith("\n")
    if head.lstrip().startswith("["):
        yield from _array(_Window(text, head), name)
    elif head:
        first = head if head.endswith("\n") else head + text.readline()
        yield from _lines(itertools.chain((first,), text), number, name)


def _lines(lines: Iterator[str], start: int, name: str) -> Iterator[Asset]:
    for number, line in enumerate(lines, start=start):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            with _refusing_extremes(where):
                raw = json.loads(line)
        except json.JSONDecodeError as error:
            if not line.endswith("\n") and _ends_early(error):  # the last line, cut off
                _truncated(where)
            if line.strip() == "{":
                raise InputError(
                    f"{where}: a JSON document spread over several lines; {_EXPECTED} "
                    "(a Terraform plan or state goes to --plan/--state)"
                ) from None
            raise _not_json(where, line, error, error.pos) from None
        yield _asset(raw, where, name)


class _Window:
    """A sliding window over a text stream: what is consumed is dropped, so it holds about one
    element and a chunk, never the file."""

    def __init__(self, text: io.TextIOWrapper, head: str) -> None:
        self._text = text
        self.buffer = head
        self.pos = head.index("[") + 1

    def more(self) -> bool:
        """Read on, as much again as the window holds so that re-decoding an element that
        spans many chunks stays linear; False at the end of the file."""
        chunk = self._text.read(max(CHUNK_SIZE, len(self.buffer) - self.pos))
        self.buffer, self.pos = self.buffer[self.pos :] + chunk, 0
        return bool(chunk)

    def peek(self) -> str | None:
        """The next character that is not whitespace (None at the end), moving up to it."""
        while (found := _NON_SPACE.search(self.buffer, self.pos)) is None:
            self.pos = len(self.buffer)
            if not self.more():
                return None
        self.pos = found.start()
        return self.buffer[self.pos]

    def value(self, where: str) -> Any:
        """Decode the value at the cursor, reading on while the chunk boundary cuts it."""
        while True:
            try:
                with _refusing_extremes(where):
                    value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                if not _ends_early(error):
                    record = self.buffer[self.pos : self.pos + 100]
                    raise _not_json(where, record, error, error.pos - self.pos) from None
                if not self.more():
                    _truncated(where)
                continue
            if end < len(self.buffer) or not self.more():  # a number may go on in the next chunk
                self.pos = end
                return value


def _array(window: _Window, name: str) -> Iterator[Asset]:
    char = window.peek()
    for index in itertools.count():
        if char == "]" and index == 0:
            break
        where = f"{name}[{index}]"
        if char is None:
            _truncated(where)
        yield _asset(window.value(where), where, name)
        char = window.peek()
        if char == "]":
            break
        if char is None:
            _truncated(f"{name}[{index + 1}]")
        if char != ",":
            raise InputError(f"{where}: expected ',' or ']' after the element, not {char!r}")
        window.pos += 1
        char = window.peek()
    window.pos += 1
    if window.peek() is not None:
        raise InputError(f"{name}: data after the closing ']' of the array; {_EXPECTED}")


def _asset(raw: Any, where: str, name: str) -> Asset:
    if isinstance(raw, dict) and "format_version" in raw and raw.keys() & _TERRAFORM_KEYS:
        raise InputError(
            f"{name}: this is a Terraform plan/state, not an inventory export; "
            "pass it with --plan/--state, and the export with --inventory"
        )
    return asset_from_dict(raw, where)


@contextmanager
def _refusing_extremes(where: str) -> Iterator[None]:
    """JSON that decodes to no Python value: too deep for the stack, or an integer past
    Python's digit limit. Both are bad input, not crashes."""
    try:
        yield
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply to be an asset; {_EXPECTED}") from None
    except json.JSONDecodeError:
        raise
    except ValueError:
        raise InputError(f"{where}: a JSON number with too many digits; {_EXPECTED}") from None


def _ends_early(error: json.JSONDecodeError) -> bool:
    """Whether the decoder failed for want of input: inside a string still open, or on a last
    token with nothing structural after it (`tru`, `1e-`, half a `\\u` escape, nothing at all).
    Decides both whether a chunk boundary cut an element and whether a file was truncated."""
    return error.msg.startswith("Unterminated string") or not _STRUCTURE.search(
        error.doc, error.pos
    )


def _not_json(where: str, record: str, error: json.JSONDecodeError, at: int) -> InputError:
    excerpt = " ".join(record[:32].split()) + ("…" if len(record) > 32 else "")
    return InputError(
        f"{where}: not JSON ({error.msg} at character {at + 1}; the record starts {excerpt!r}); "
        + _EXPECTED
    )


def _truncated(where: str) -> NoReturn:
    raise InventoryIncomplete(
        f"{where}: truncated: the file ends in the middle of a record, "
        "and a partial export is never judged"
    )
