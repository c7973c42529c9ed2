"""Tables that turn into stacked records when narrow: `Records` (a table whose columns are as wide
as their content allows, which below `STACK_BELOW` columns, or when it cannot fit without cutting a
word, prints each row as a block of label / value lines) and `Facts` (label / value rows). Their
cells wrap by the Chinese line-breaking rules of `layout`. Widths are worked out here from what
Rich measures and handed to a plain Rich table as each column's width."""
from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from .layout import Flow, flow, widest_word

STACK_BELOW = 60
PROSE_MIN = 12  # running text narrower than this (six Chinese characters a line) reads as a column of fragments


class Records(Table):
    """A table that prints one block per row (label, value) below `STACK_BELOW` columns.

    Column widths follow the content: a wrapping column is never narrower than its widest
    unbreakable piece. When the table is too wide, columns give way in the order of their `give`
    (0 most readily: long prose such as lists of policies; 2 least: titles), the widest first;
    `ratio` is ignored. The widths are worked out here and handed to a plain Rich table as each
    column's width; a table that cannot fit without cutting a piece is stacked instead."""

    GIVE_WEIGHTS = {0: 2.0, 1: 1.3, 2: 1.0}  # how readily a column of each `give` is narrowed

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.settings = kwargs
        self.gives: list[int] = []
        self.prose: list[bool] = []

    def add_column(self, *args, give: int = 1, prose: bool = False, **kwargs):  # type: ignore[no-untyped-def, override]
        """`prose`: running text (a snippet of the policy) breaks between any two characters as a
        paragraph does; other cells between items and words."""
        kwargs.pop("ratio", None)
        kwargs.pop("overflow", None)
        super().add_column(*args, **kwargs)
        self.gives.append(give)
        self.prose.append(prose)

    def add_row(self, *renderables, **kwargs):  # type: ignore[no-untyped-def, override]
        """Each cell made visible (`render.made_visible`: no raw control character is measured or
        printed) and, when it wraps, broken by the rules above."""
        from .visible import made_visible

        renderables = tuple(made_visible(cell) for cell in renderables)
        cells = []
        for column, prose, cell in zip(self.columns, self.prose, renderables):
            wraps = isinstance(cell, (Text, str)) and not column.no_wrap
            cells.append(flow(cell, words=not prose) if wraps else cell)
        super().add_row(*cells, *renderables[len(cells):], **kwargs)

    stacks = False  # set by `SameLayout` when another table of the same output has to stack

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = None if self.stacks else self.fitting_widths(console, options)
        if widths is None:
            yield from stacked(self, console, options)
            return
        yield self.sized(widths)

    def fitting_widths(self, console: Console, options: ConsoleOptions) -> list[int] | None:
        """The column widths at which the table fits; None when it must be stacked instead."""
        width = options.max_width if self.width is None else self.width
        room = options.update_width(max(1, width - self.border_width()))
        widths = self.column_widths(console, room) if self.columns else None
        if widths is None or options.max_width < STACK_BELOW or not self.fits(console, room, widths):
            return None
        return widths

    def border_width(self) -> int:
        """Columns taken by the box's edges and the lines between columns."""
        if not self.box:
            return 0
        return (2 if self.show_edge else 0) + len(self.columns) - 1

    def cell_padding(self, index: int) -> tuple[int, int]:
        """(left, right) padding of the cells of column `index`: none at the table's edges unless
        `pad_edge`."""
        _, right, _, left = self.padding
        if not self.pad_edge:
            left = 0 if index == 0 else left
            right = 0 if index == len(self.columns) - 1 else right
        return left, right

    def padding_width(self, index: int) -> int:
        return sum(self.cell_padding(index))

    def column_range(self, console: Console, options: ConsoleOptions, index: int) -> Measurement:
        """The narrowest and widest column `index` can be, its padding included."""
        from rich.padding import Padding

        column, pad = self.columns[index], self.padding_width(index)
        if column.width is not None:
            return Measurement(column.width + pad, column.width + pad).with_maximum(options.max_width)
        left, right = self.cell_padding(index)
        cells = ([column.header] if self.show_header else []) + list(column.cells)
        ranges = [Measurement.get(console, options, Padding(cell, (0, right, 0, left))) for cell in cells]
        found = Measurement(max((r.minimum for r in ranges), default=1),
                            max((r.maximum for r in ranges), default=options.max_width))
        return found.with_maximum(options.max_width).clamp(
            None if column.min_width is None else column.min_width + pad,
            None if column.max_width is None else column.max_width + pad)

    def column_widths(self, console: Console, options: ConsoleOptions) -> list[int] | None:
        """Each column's width, padding included, within `options.max_width` (all of it when the
        table expands or has a width); None when it cannot fit without cutting an unbreakable piece."""
        ranges = [self.column_range(console, options, i) for i in range(len(self.columns))]
        widths = [r.maximum or 1 for r in ranges]
        if sum(widths) > options.max_width:
            widths = self.narrowed(console, options, ranges) if self.expand else self.given_way(ranges, options.max_width)
            slack = self.padding[1] + self.padding[3]  # as before: a column may lose its padding's width
            if widths is None or sum(widths) > options.max_width or \
                    any(w < r.minimum - slack for w, r in zip(widths, ranges)):
                return None
        spare = options.max_width - sum(widths)
        return spread(spare, widths) if self.expand and spare > 0 else widths

    def given_way(self, ranges: list[Measurement], room: int) -> list[int] | None:
        """The widths at which the columns fit, narrowed one column at a time in the order of their
        `give`, the widest first, none below its narrowest; None when that is not enough."""
        widths = [r.maximum or 1 for r in ranges]
        weights = [self.GIVE_WEIGHTS.get(give, 1.0) for give in self.gives]
        for _ in range(sum(widths) - room):
            able = [i for i, c in enumerate(self.columns)
                    if not c.no_wrap and c.width is None and widths[i] > ranges[i].minimum]
            if not able:
                return None
            widest = max(able, key=lambda i: widths[i] * weights[i])
            widths[widest] -= 1
        return widths

    def narrowed(self, console: Console, options: ConsoleOptions, ranges: list[Measurement]) -> list[int]:
        """A table that fills its width: the widest wrapping columns narrowed together, level with the
        next widest, until the table fits; then each as wide as its content at that width."""
        widths = [r.maximum or 1 for r in ranges]
        able = [not c.no_wrap and c.width is None for c in self.columns]
        excess = sum(widths) - options.max_width
        while excess > 0 and any(able):
            widest = max(w for w, a in zip(widths, able) if a)
            step = widest - max((w for w, a in zip(widths, able) if a and w != widest), default=0)
            if not step:
                break
            share, count = excess, sum(1 for w, a in zip(widths, able) if a and w == widest)
            for i, (width, wraps) in enumerate(zip(widths, able)):
                if wraps and width == widest:
                    cut = min(min(excess, step), round(share / count))
                    widths[i] -= cut
                    share, count = share - cut, count - 1
            excess = sum(widths) - options.max_width
        return [self.column_range(console, options.update_width(w), i).maximum or 0 for i, w in enumerate(widths)]

    def fits(self, console: Console, options: ConsoleOptions, widths: list[int]) -> bool:
        """No title or name in a wrapping cell would be cut inside a word at these widths, and running
        text has at least PROSE_MIN columns."""
        for i, (width, column) in enumerate(zip(widths, self.columns)):
            inner = width - self.padding_width(i)
            if self.prose[i] and inner < PROSE_MIN:
                return False
            if any(widest_word(cell.text.plain, inner) > inner for cell in column.cells
                   if isinstance(cell, Flow) and cell.words):
                return False
        return True

    def sized(self, widths: list[int]) -> Table:
        """A plain Rich table of this one's title, columns and rows with the columns at `widths`."""
        table = Table(**{**self.settings, "title": self.title, "expand": False, "width": None})
        for i, (width, column) in enumerate(zip(widths, self.columns)):
            table.add_column(column.header, footer=column.footer, header_style=column.header_style,
                             footer_style=column.footer_style, style=column.style, justify=column.justify,
                             vertical=column.vertical, overflow=column.overflow, no_wrap=column.no_wrap,
                             width=max(1, width - self.padding_width(i)))
        cells = [list(column.cells) for column in self.columns]
        for index, row in enumerate(self.rows):
            table.add_row(*(column[index] for column in cells), style=row.style, end_section=row.end_section)
        return table


class SameLayout:
    """Renderables printed one after the other in which every `Records` looks alike: when one of
    them has to be stacked at this width, all are (sections of one list, not some tables and some
    blocks)."""

    def __init__(self, parts: Iterable[object]):
        self.parts = list(parts)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        tables = [p for p in self.parts if isinstance(p, Records)]
        stack = any(t.fitting_widths(console, options) is None for t in tables)
        for table in tables:
            table.stacks = stack
        yield from self.parts


def spread(extra: int, widths: list[int]) -> list[int]:
    """`widths` with `extra` columns shared out in proportion to them."""
    total, result = sum(widths), []
    for width in widths:
        share = -(-width * extra // total) if total else 0
        result.append(width + share)
        extra, total = extra - share, total - width
    return result


class Facts:
    """Label / value rows: side by side, or each label on its own line with the value indented below
    it when the terminal is narrower than `STACK_BELOW` columns."""

    def __init__(self, rows: Iterable[tuple[str, Text]]):
        from .visible import made_visible

        self.rows = [(label, made_visible(value)) for label, value in rows]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= STACK_BELOW:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column()
            for label, value in self.rows:
                grid.add_row(Text(label), flow(value))
            yield grid
            return
        for label, value in self.rows:
            if label:
                yield Text(label, style="bold")
            yield Flow(Text("  ").append_text(value) if isinstance(value, Text) else Text("  " + str(value)), indent=2)


def _empty(cell: object) -> bool:
    if isinstance(cell, Flow):
        cell = cell.text
    return cell is None or (isinstance(cell, (Text, str)) and not str(cell).strip())


def stacked(table: Table, console: Console, options: ConsoleOptions) -> Iterable:
    if table.title:
        yield Flow(table.title if isinstance(table.title, Text) else Text(str(table.title), style="bold"))
    headers = [c.header.plain if isinstance(c.header, Text) else str(c.header) for c in table.columns]
    cells = [list(column.cells) for column in table.columns]
    first = True
    for row in range(table.row_count):
        filled = [(h, col[row]) for h, col in zip(headers, cells) if not _empty(col[row])]
        if not filled:  # a spacer row between groups
            continue
        if not first:
            yield Text("")
        first = False
        yield Record(filled)


class Record:
    """One row of a stacked table: each label in bold, its value beside it, wrapped in the room
    left (what a two-column grid would print, without measuring and padding every cell twice)."""

    def __init__(self, rows: list[tuple[str, object]]):
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        labels = max(cell_len(label) for label, _ in self.rows)
        room = max(1, options.max_width - labels - 1)
        width = max(min(Measurement.get(console, options.update_width(room), cell).maximum, room)
                    for _, cell in self.rows)
        inner = options.update(width=max(1, width), height=None)
        bold, line_end = Style(bold=True), Segment.line()
        for label, cell in self.rows:
            lines = _lines(console, cell, inner)
            for i, line in enumerate(console.render_lines(cell, inner) if lines is None else lines):
                shown = label if i == 0 else ""
                yield Segment(shown + " " * (labels - cell_len(shown) + 1), bold)
                yield from line
                yield line_end


def _lines(console: Console, cell: object, options: ConsoleOptions) -> list[list[Segment]] | None:
    """What `console.render_lines(cell, options)` gives, for a `Flow` or for a `Text` whose lines
    all fit, worked out directly (a search's ten records are a hundred cells); None for anything
    else, for text holding tabs or unsafe characters, for text or options that justify, crop or do
    not wrap, and for a line narrower than a Chinese character (the console's own way)."""
    from ...dataset.text import UNSAFE

    text = cell.text if isinstance(cell, Flow) else cell
    if not isinstance(text, Text):
        return None
    width = options.max_width
    laid_out = [(text.justify, text.overflow, text.no_wrap), (options.justify, options.overflow, options.no_wrap)]
    if "\t" in text.plain or width < 2 or any(j not in (None, "default") or o not in (None, "fold") or n
                                             for j, o, n in laid_out):
        return None
    if isinstance(cell, Flow):
        pieces = cell.lines(width)
    else:  # a Text: Rich would wrap a line that does not fit
        pieces = text.split("\n", allow_blank=True)
        if any(cell_len(piece.plain) > width for piece in pieces):
            return None
    for piece in pieces:
        if UNSAFE.search(piece.plain):
            return None
        piece.rstrip_end(width)
    # joined as Rich joins a text's lines (its own style becomes a span of each), then cut and padded
    segments = Text("\n").join(pieces).render(console)
    return list(Segment.split_and_crop_lines(segments, width, include_new_lines=False, pad=True))
