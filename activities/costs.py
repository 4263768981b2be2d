"""What a call cost, in one unit per audience: US cents in the database and the API, as Close
has it (`"2.5"`), dollars on every page and in the admin (`$0.025`). One formatter for each,
and one form field that reads dollars and gives cents.

Reps see and type costs only where their organization turns it on
(`Organization.show_call_cost`); the admin and the API always have them.
"""

from decimal import Decimal

from django import forms

CENTS_PER_DOLLAR = 100


def format_cost(cents):
    """Return a cost in US cents as Close writes it: a decimal without trailing zeros ("2.5")."""
    return None if cents is None else format(Decimal(cents).normalize(), "f")


def cents_to_dollars(cents):
    """Return a cost in US cents as a Decimal of dollars, with at least two decimals."""
    amount = (Decimal(cents) / CENTS_PER_DOLLAR).normalize()
    return amount.quantize(Decimal("0.01")) if amount.as_tuple().exponent > -2 else amount


def format_dollars(cents):
    """Return a cost in US cents as the pages show it: 150 -> "$1.50", 1.25 -> "$0.0125"."""
    if cents in (None, ""):
        return ""
    return f"${cents_to_dollars(cents):,}"


class CostField(forms.DecimalField):
    """A cost typed in dollars ("0.25"), cleaned to US cents (25) as calls store it; a stored
    cost in cents is shown in dollars."""

    default_error_messages = {
        "max_decimal_places": "Enter at most 6 digits after the decimal point.",
        "max_digits": "Enter a cost under $100,000,000.",
        "max_whole_digits": "Enter a cost under $100,000,000.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Cost (US$)")
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "any", "size": 8}))
        # The bounds of Call.cost, in cents.
        super().__init__(min_value=0, max_digits=12, decimal_places=4, **kwargs)

    def to_python(self, value):
        dollars = super().to_python(value)
        return None if dollars is None else dollars * CENTS_PER_DOLLAR

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return cents_to_dollars(value)
        return value

    def widget_attrs(self, widget):
        """The input's own bounds are in dollars, not in the cents the validators check."""
        attrs = super().widget_attrs(widget)
        attrs.pop("max", None)
        attrs["step"] = "any"
        return attrs
