"""Paging through long lists without counting them.

Django's Paginator counts the whole list on every page; for a client with years of notes that count is the
slowest query on the page and grows with the record. A page here fetches one row more than it shows, which
is all "Older" and "Newer" links need.
"""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

MAX_PAGE = 10_000


class Page:
    def __init__(self, queryset: QuerySet[Any], number_text: str | None, per_page: int) -> None:
        try:
            number = min(max(1, int(number_text or 1)), MAX_PAGE)
        except (TypeError, ValueError):
            number = 1
        start = (number - 1) * per_page
        rows = list(queryset[start : start + per_page + 1])
        if not rows and number > 1:  # past the end (an old link): show the first page instead
            number = 1
            rows = list(queryset[: per_page + 1])
        self.number = number
        self.object_list = rows[:per_page]
        self.has_next = len(rows) > per_page
        self.has_previous = number > 1
        self.has_other_pages = self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)
