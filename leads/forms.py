from django import forms
from django.core.exceptions import ValidationError

from leads.models import Contact, Lead
from leads.phones import normalize_phone


class PhoneField(forms.CharField):
    """A phone number typed in any format, cleaned to E.164 (+16505551234)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        phone = normalize_phone(value)
        if phone is None:
            raise ValidationError(
                "Enter a phone number with its area code, e.g. (650) 555-1234 or +44 20 7946 0000."
            )
        return phone


class LeadForm(forms.ModelForm):
    url = forms.URLField(label="Website", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Lead
        fields = ["name", "url", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ContactForm(forms.ModelForm):
    """A contact with one phone number and one email; more can come through the API."""

    phone = PhoneField(required=False, help_text="Any format, e.g. (650) 555-1234.")
    email = forms.EmailField(required=False)

    class Meta:
        model = Contact
        fields = ["name", "title"]

    def contact_fields(self):
        """Return the contact's fields as `leads.services` takes them."""
        phone, email = self.cleaned_data["phone"], self.cleaned_data["email"]
        return {
            "name": self.cleaned_data["name"],
            "title": self.cleaned_data["title"],
            "phones": [{"phone": phone, "type": "office"}] if phone else [],
            "emails": [{"email": email, "type": "office"}] if email else [],
        }


ContactFormSet = forms.inlineformset_factory(
    Lead, Contact, form=ContactForm, extra=2, can_delete=False
)
