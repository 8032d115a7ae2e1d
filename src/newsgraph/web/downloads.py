"""Downloads of the API's lists: ``format=csv`` on a list route answers its page of items as CSV (a
header, RFC 4180 quoting by the csv module, UTF-8), ``format=json`` as the JSON it always answers,
sent as a file. The pages link to them with their own filters and paging, so a download holds exactly
the rows the page shows, and its address is a stable one for that filtered view.

A CSV row is one item: its columns are the item model's fields, a nested object's flattened as
``document.title``, a list or free-form object as its JSON text. The columns come from the model, not
from the rows, so an empty list still has its header."""

from __future__ import annotations

import csv
import io
import json
import types
import typing
from typing import Annotated, Any, Literal

from fastapi import Query
from fastapi.responses import Response
from pydantic import BaseModel

Format = Annotated[
    Literal["json", "csv"] | None,
    Query(description="csv: the same page of items as CSV, one row each, with a header; json: the JSON, as a file"),
]


def columns(model: type[BaseModel], prefix: str = "") -> list[str]:
    """The CSV columns of an item model: its fields, nested models' fields as ``field.sub``."""
    out: list[str] = []
    for name, info in model.model_fields.items():
        nested = _model_of(info.annotation)
        if nested is not None:
            out += columns(nested, f"{prefix}{name}.")
        else:
            out.append(prefix + name)
    return out


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (``Model`` or ``Model | None``), None for anything else."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return None  # list[Model]: one JSON cell
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0]
    return None


def cell(value: Any) -> str:
    """A value as CSV text: "" for none, JSON for a list or an object, true/false as JSON writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def row(item: dict[str, Any], names: list[str]) -> list[str]:
    out = []
    for name in names:
        value: Any = item
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        out.append(cell(value))
    return out


def csv_text(items: list[dict[str, Any]], model: type[BaseModel]) -> str:
    names = columns(model)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(names)
    for item in items:
        writer.writerow(row(item, names))
    return buf.getvalue()


def answer(page: dict[str, Any], fmt: str | None, model: type[BaseModel], name: str) -> dict[str, Any] | Response:
    """A list route's answer: the page itself for JSON (FastAPI validates and writes it), a CSV file of
    its items for ``csv``. ``X-Total-Count`` gives the total either way in a CSV's header."""
    if fmt != "csv":
        return page
    headers = {
        "Content-Disposition": f'attachment; filename="{name}.csv"',
        "X-Total-Count": str(page.get("total", len(page["items"]))),
    }
    # each item as the JSON answer has it (the model's fields, in its order, its coercions), not the raw row
    items = [model.model_validate(i).model_dump(mode="json") for i in page["items"]]
    return Response(csv_text(items, model), media_type="text/csv; charset=utf-8", headers=headers)


def json_file(response: Response, fmt: str | None, name: str) -> None:
    """With ``format=json`` asked for: the JSON answer is sent as a file to save."""
    if fmt == "json":
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.json"'


__all__ = ["Format", "answer", "cell", "columns", "csv_text", "json_file"]
