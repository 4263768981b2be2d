"""Editing a JSON list of small objects in the admin as rows of inputs, never as raw JSON.

Transcripts' utterances and contacts' phones and emails are lists of objects with a few known
keys. `RowsField` shows one row of inputs per object plus a few blank rows for new ones, drops
blank rows and rows ticked for deletion, converts each cell, and hands the list to the model's
own validators, so what is saved always has the shape the API promises.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

MAX_ROWS = 5000


@dataclass(frozen=True)
class RowColumn:
    name: str
    label: str
    input: str = "text"  # "text", "number", "textarea" or "select"
    choices: tuple = field(default_factory=tuple)

    def render(self, name, value):
        value = "" if value is None else value
        if self.input == "select":
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (choice, " selected" if str(value) == choice else "", label)
                    for choice, label in (("", "---------"), *self.choices)
                ),
            )
            return format_html('<select name="{}">{}</select>', name, options)
        if self.input == "textarea":
            return format_html('<textarea name="{}" rows="1" cols="32">{}</textarea>', name, value)
        if self.input == "number":
            return format_html(
                '<input type="number" name="{}" value="{}" step="any" min="0" class="{}">',
                name,
                value,
                "vIntegerField",
            )
        return format_html('<input type="text" name="{}" value="{}" size="16">', name, value)

    def to_python(self, raw, where):
        raw = (raw or "").strip()
        if self.input != "number":
            return raw
        if not raw:
            return None
        try:
            number = float(raw)
        except ValueError:
            raise ValidationError(f"{where}: {self.name} must be a number.") from None
        return int(number) if number.is_integer() else number


class RowsWidget(forms.Widget):
    use_fieldset = True

    def __init__(self, columns, extra=3, attrs=None):
        super().__init__(attrs)
        self.columns = columns
        self.extra = extra

    def value_from_datadict(self, data, files, name):
        try:
            total = min(int(data.get(f"{name}-TOTAL", 0)), MAX_ROWS + 1)
        except (TypeError, ValueError):
            total = 0
        rows = []
        for index in range(total):
            row = {c.name: data.get(f"{name}-{index}-{c.name}", "") for c in self.columns}
            row["DELETE"] = f"{name}-{index}-DELETE" in data
            rows.append(row)
        return rows

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-TOTAL" not in data

    def render(self, name, value, attrs=None, renderer=None):
        rows = [row for row in value or [] if isinstance(row, dict)] + [{}] * self.extra
        head = format_html_join("", "<th>{}</th>", ((c.label,) for c in self.columns))
        body = format_html_join(
            "", "{}", ((self.render_row(name, i, row),) for i, row in enumerate(rows))
        )
        return format_html(
            '<table class="rows-widget"><thead><tr>{}<th>Delete?</th></tr></thead>'
            '<tbody>{}</tbody></table><input type="hidden" name="{}-TOTAL" value="{}">',
            head,
            body,
            name,
            len(rows),
        )

    def render_row(self, name, index, row):
        prefix = f"{name}-{index}-"
        cells = format_html_join(
            "",
            "<td>{}</td>",
            ((c.render(prefix + c.name, row.get(c.name)),) for c in self.columns),
        )
        delete = format_html(
            '<input type="checkbox" name="{}DELETE"{}>',
            prefix,
            " checked" if row.get("DELETE") else "",
        )
        return format_html("<tr>{}<td>{}</td></tr>", cells, delete)


class RowsField(forms.Field):
    """A list of objects with the keys of `columns`, edited as rows; blank rows are dropped.

    `item_label` names a row in error messages ("Utterance 2: ..."), as the model's validators
    do; `clean_item(item, where)` may check or normalise each object.
    """

    def __init__(self, columns, *, item_label, clean_item=None, extra=3, **kwargs):
        self.columns = columns
        self.item_label = item_label
        self.clean_item = clean_item
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", RowsWidget(columns, extra))
        super().__init__(**kwargs)

    def to_python(self, value):
        if len(value or []) > MAX_ROWS:
            raise ValidationError(f"Enter at most {MAX_ROWS} rows.")
        items = []
        for row in value or []:
            if row.get("DELETE") or self.is_blank(row):
                continue
            where = f"{self.item_label} {len(items) + 1}"
            item = {c.name: c.to_python(row.get(c.name), where) for c in self.columns}
            if self.clean_item is not None:
                item = self.clean_item(item, where)
            items.append(item)
        return items

    def is_blank(self, row):
        return not any(str(row.get(c.name) or "").strip() for c in self.columns)

    def has_changed(self, initial, data):
        try:
            return (initial or []) != self.to_python(data)
        except ValidationError:
            return True
