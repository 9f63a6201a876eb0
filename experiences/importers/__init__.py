"""Import of historical experiences from the open-data « expériences » export (seed 000), all or nothing.

Structures must be imported first (structures/importers.py): experiences are routed to them by SP+ code.
Modules: `columns` (the export's headers and labels), `rows` (one line checked), `stored` (what is already
there), `writer` (the writes), `actions` (the « Action » column), `run` (the whole file).
"""

from .run import import_experiences

__all__ = ["import_experiences"]
