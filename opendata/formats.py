"""How values are written in the published files: the real export's own formats (seed 000)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"


def moment(value: datetime.datetime | None) -> str:
    return value.astimezone(PARIS).strftime(DATETIME_FORMAT) if value else ""


def day(value: datetime.date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def yes_no(value: bool) -> str:
    return "Oui" if value else "Non"


def decimal(value: Decimal) -> str:
    """98.500 → « 98,5 »: a decimal comma, no exponent, no trailing zero."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")
