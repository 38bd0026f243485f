"""What a reader says when a file cannot be used: a list of problems, each with where it is.

Readers check a whole file before returning anything. If anything is wrong they raise one
`SourceError` carrying every problem found (up to a cap, so a broken national file does not produce a
million messages), so the app can show them all at once and write nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

# A broken national file could yield one problem per cell; after this many the reader stops listing
# them one by one and says how many more there were.
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, in plain words, with where it is.

    `row` counts rows as a spreadsheet shows them (the first line of the file is row 1, header rows
    included); `column` is the column's code as written in the file (e.g. "B19013_001E"); `file` is
    the file's name (for a ZIP, the name of the file inside it).
    """

    message: str
    row: int | None = None
    column: str | None = None
    file: str | None = None

    def where(self) -> str:
        """Where the problem is, in words ("" when it concerns the whole file)."""
        if self.file and self.row is not None and self.column:
            return _("%(file)s, row %(row)s, column %(column)s") % {
                "file": self.file, "row": self.row, "column": self.column,
            }
        if self.file and self.row is not None:
            return _("%(file)s, row %(row)s") % {"file": self.file, "row": self.row}
        if self.file and self.column:
            return _("%(file)s, column %(column)s") % {"file": self.file, "column": self.column}
        if self.row is not None and self.column:
            return _("row %(row)s, column %(column)s") % {"row": self.row, "column": self.column}
        if self.row is not None:
            return _("row %(row)s") % {"row": self.row}
        if self.column:
            return _("column %(column)s") % {"column": self.column}
        return self.file or ""

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        """A JSON-ready form for import previews and the API."""
        return {"message": self.message, "row": self.row, "column": self.column, "file": self.file}


class SourceError(ValueError):
    """A file that cannot be used; `problems` lists everything found wrong with it."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ProblemList:
    """Collects problems while a reader checks a file, and stops listing after `MAX_PROBLEMS`."""

    def __init__(self, file: str | None = None, limit: int = MAX_PROBLEMS):
        self.file = file
        self.limit = limit
        self.items: list[Problem] = []
        self.dropped = 0

    def add(self, message: str, *, row: int | None = None, column: str | None = None,
            file: str | None = None) -> None:
        if len(self.items) >= self.limit:
            self.dropped += 1
            return
        self.items.append(Problem(message, row=row, column=column, file=file or self.file))

    def extend(self, problems: list[Problem]) -> None:
        for p in problems:
            self.add(p.message, row=p.row, column=p.column, file=p.file)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        problems = list(self.items)
        if self.dropped:
            problems.append(Problem(
                _("%(count)s more problems were found and are not listed; fix the ones above and try again.")
                % {"count": self.dropped},
                file=self.file,
            ))
        raise SourceError(problems)
