"""Phone numbers: E.164 normalisation, display formatting and the digits used for search."""

import re

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def normalize_phone(value):
    """Return `value` as E.164 (+ and digits), or None when it cannot be one.

    Separators are dropped; a bare 10-digit number is taken as North American (+1).
    """
    value = (value or "").strip()
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    if value.startswith("00"):
        digits = digits[2:]
    elif not value.startswith("+") and len(digits) == 10:
        digits = "1" + digits
    candidate = "+" + digits
    return candidate if E164.match(candidate) else None


def format_phone(e164):
    """Return a readable form: +1 650-555-1234 for NANP numbers, grouped digits otherwise."""
    if not e164:
        return e164
    digits = e164[1:]
    if digits.startswith("1") and len(digits) == 11:
        return f"+1 {digits[1:4]}-{digits[4:7]}-{digits[7:]}"
    country, rest = digits[:2], digits[2:]
    groups = [rest[i : i + 4] for i in range(0, len(rest), 4)]
    return "+" + " ".join([country, *groups])


def digits_only(value):
    return re.sub(r"\D", "", value or "")
