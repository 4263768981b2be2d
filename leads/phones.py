"""Phone numbers, by Google's libphonenumber (`phonenumbers`): parsing what people type, the
stored form, the readable form, and the digits a search looks for.

A number is stored in E.164 (`+441134960659`); an extension, when one was typed, follows it
as in a tel: URI (`+16505551234;ext=12`). A number typed without a `+` is read as dialled in
the organization's default region (`Organization.phone_region`): `(650) 555-1234` in the US,
`0113 496 0659` in GB. Pages and the API show numbers in the international format
(`+44 113 496 0659`, `+1 650-555-1234 ext. 12`), as Close does.
"""

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

EXTENSION = ";ext="
# What a phone search may look like: digits, with the separators people type between them.
PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]+$")


def _parse(value, region):
    try:
        return phonenumbers.parse(value, region)
    except NumberParseException:
        return None


@lru_cache(maxsize=4096)  # an import reads the same numbers on row after row
def normalize_phone(value, region="US"):
    """Return `value` as stored (E.164, and `;ext=` with an extension), None when it is no
    valid number: a number typed without `+` is read as dialled in `region`. Remembered per
    process, as `format_phone` is: an import parses each row's numbers twice (to match the
    contact, then to store the call), and its own lines' on every row."""
    value = (value or "").strip()
    if not value:
        return None
    number = _parse(value, region)
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    stored = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return stored + EXTENSION + number.extension if number.extension else stored


@lru_cache(maxsize=4096)  # pages and API lists show the same numbers again and again
def format_phone(stored):
    """Return a stored number in the international format (`+44 113 496 0659`); a value that
    is no number is returned as it is. Remembered per process: libphonenumber takes about
    20 µs a number, a whole API page's row shaping."""
    if not stored:
        return stored
    number = _parse(stored.replace(EXTENSION, " ext. "), None)
    if number is None or not phonenumbers.is_possible_number(number):
        return stored
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def invalid_phone_message(region="US"):
    """The error for a number that `normalize_phone` refuses, with examples for `region`."""
    example = phonenumbers.example_number_for_type(region, PhoneNumberType.FIXED_LINE_OR_MOBILE)
    abroad = "+1 650-555-1234" if region != "US" else "+44 20 7946 0000"
    if example is None:
        return f"Enter a valid phone number with its country code, e.g. {abroad}."
    local = phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)
    return (
        f"Enter a valid phone number: as dialled in {region}, e.g. {local}, "
        f"or with its country code, e.g. {abroad}."
    )


def digits_only(value):
    return re.sub(r"\D", "", value or "")


def search_digits(query, region="US"):
    """Return the digits to look for in the contacts' phones when `query` is searched.

    A query that reads as a number of `region` is looked for by its national number, so that
    `020 7946 0000` finds `+442079460000` in GB; anything else by its digits.
    """
    query = (query or "").strip()
    if PHONE_LIKE.match(query):
        number = _parse(query, region)
        if number is not None and phonenumbers.is_valid_number(number):
            return str(number.national_number)
    return digits_only(query)
