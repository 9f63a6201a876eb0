"""A small Table Schema validator over what our schemas use: types, formats and constraints, row by row."""

import csv
import datetime
import io
import re
from decimal import Decimal, InvalidOperation


def _integer(text: str, spec: dict):
    if not re.fullmatch(r"-?[0-9]+", text):
        raise ValueError
    return int(text)


def _number(text: str, spec: dict):
    try:
        return Decimal(text.replace(spec.get("decimalChar", "."), "."))
    except InvalidOperation:
        raise ValueError from None


def _temporal(parse):
    def read(text: str, spec: dict):
        return parse(datetime.datetime.strptime(text, spec["format"]))

    return read


READERS = {
    "string": lambda text, spec: text,
    "integer": _integer,
    "number": _number,
    "date": _temporal(lambda moment: moment.date()),
    "datetime": _temporal(lambda moment: moment),
}


def _cell_errors(text: str, spec: dict, seen: set) -> list[str]:
    constraints = spec.get("constraints", {})
    if text == "":
        return ["requis"] if constraints.get("required") else []
    try:
        value = READERS[spec["type"]](text, spec)
    except ValueError:
        return [f"{spec['type']} illisible"]
    errors = []
    if "enum" in constraints and text not in constraints["enum"]:
        errors.append("hors de la liste")
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        errors.append("motif")
    if "minimum" in constraints and value < constraints["minimum"]:
        errors.append("sous le minimum")
    if "maximum" in constraints and value > constraints["maximum"]:
        errors.append("au-dessus du maximum")
    if "maxLength" in constraints and len(text) > constraints["maxLength"]:
        errors.append("trop long")
    if constraints.get("unique"):
        if text in seen:
            errors.append("en double")
        seen.add(text)
    return errors


def validate(content: bytes, schema: dict) -> list[tuple[int, str, str]]:
    """(line, column, problem) for every cell that breaks the schema; the header is line 1."""
    assert set(schema.get("missingValues", [""])) == {""}, "only the empty missing value is handled"
    for spec in schema["fields"]:
        assert spec["type"] in READERS, spec
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    names = [spec["name"] for spec in schema["fields"]]
    if rows[0] != names:
        return [(1, "", "en-tête différent du schéma")]
    errors, seen, keys = [], {name: set() for name in names}, set()
    key_positions = [names.index(name) for name in schema.get("primaryKey", [])]
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(names):
            errors.append((line, "", f"{len(row)} cellules au lieu de {len(names)}"))
            continue
        key = tuple(row[position] for position in key_positions)
        if key_positions and key in keys:
            errors.append((line, "", "clé primaire en double"))
        keys.add(key)
        for text, spec in zip(row, schema["fields"], strict=True):
            errors += [(line, spec["name"], problem) for problem in _cell_errors(text, spec, seen[spec["name"]])]
    return errors
