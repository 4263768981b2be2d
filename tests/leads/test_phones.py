"""Phone numbers as typed, stored and shown (leads/phones.py, by libphonenumber)."""

import pytest

from leads.phones import format_phone, invalid_phone_message, normalize_phone, search_digits

# (typed, the organization's region, stored, shown)
NUMBERS = [
    ("+16505551234", "US", "+16505551234", "+1 650-555-1234"),
    ("(650) 555-1234", "US", "+16505551234", "+1 650-555-1234"),
    ("650.555.1234", "US", "+16505551234", "+1 650-555-1234"),
    ("1 650 555 1234", "US", "+16505551234", "+1 650-555-1234"),
    ("011 44 113 496 0659", "US", "+441134960659", "+44 113 496 0659"),
    ("+441134960659", "US", "+441134960659", "+44 113 496 0659"),
    ("0113 496 0659", "GB", "+441134960659", "+44 113 496 0659"),
    ("020 7946 0000", "GB", "+442079460000", "+44 20 7946 0000"),
    ("07496 394234", "GB", "+447496394234", "+44 7496 394234"),
    ("00 1 650 555 1234", "GB", "+16505551234", "+1 650-555-1234"),
    ("01 23 45 67 89", "FR", "+33123456789", "+33 1 23 45 67 89"),
    ("06 12 34 56 78", "FR", "+33612345678", "+33 6 12 34 56 78"),
    ("+33 1 23 45 67 89", "US", "+33123456789", "+33 1 23 45 67 89"),
    ("650-555-1234 ext. 12", "US", "+16505551234;ext=12", "+1 650-555-1234 ext. 12"),
    ("+1 650 555 1234 x7", "GB", "+16505551234;ext=7", "+1 650-555-1234 ext. 7"),
    ("020 7946 0000 ext 301", "GB", "+442079460000;ext=301", "+44 20 7946 0000 x301"),
]
INVALID = [
    ("12", "US"),
    ("call me maybe", "US"),
    ("+1 555 0000", "US"),  # too short for North America
    ("(650) 555-1234", "ZZ"),  # no region to read it in
    ("0113 496 0659", "US"),  # a British number dialled as if in the US
    ("+44 20 7946", "US"),
    ("99999999999999999999", "US"),
]


@pytest.mark.parametrize(("typed", "region", "stored", "shown"), NUMBERS)
def test_a_number_is_stored_in_e164_and_shown_in_the_international_format(
    typed, region, stored, shown
):
    assert normalize_phone(typed, region) == stored
    assert format_phone(stored) == shown


@pytest.mark.parametrize(("typed", "region"), INVALID)
def test_what_is_no_valid_number_is_refused(typed, region):
    assert normalize_phone(typed, region) is None


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_a_blank_number_is_none(blank):
    assert normalize_phone(blank) is None


def test_the_grouping_of_international_numbers_is_the_countrys():
    """Regression: the hand-written formatter grouped every non-US number by fours."""
    assert format_phone("+441134960659") == "+44 113 496 0659"


@pytest.mark.parametrize("stored", ["", None, "not a number", "+1234"])
def test_what_cannot_be_formatted_is_shown_as_it_is(stored):
    assert format_phone(stored) == stored


@pytest.mark.parametrize(
    ("region", "example"),
    [("US", "(201) 555-0123"), ("GB", "0121 234 5678"), ("FR", "01 23 45 67 89")],
)
def test_the_error_gives_an_example_as_dialled_in_the_region(region, example):
    message = invalid_phone_message(region)
    assert f"as dialled in {region}, e.g. {example}" in message
    assert "with its country code" in message


@pytest.mark.parametrize(
    ("query", "region", "digits"),
    [
        ("(650) 555-1234", "US", "6505551234"),
        ("020 7946 0000", "GB", "2079460000"),
        ("+44 20 7946 0000", "US", "2079460000"),
        ("555-12", "US", "55512"),
        ("Suite 12", "US", "12"),
    ],
)
def test_a_search_looks_for_a_numbers_national_digits(query, region, digits):
    assert search_digits(query, region) == digits
