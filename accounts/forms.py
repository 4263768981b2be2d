import zoneinfo

from django import forms

from accounts.models import User


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class TimeZoneForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Times on every page are shown in this zone.",
    )

    class Meta:
        model = User
        fields = ["time_zone"]
