from django import forms
from django.core.exceptions import ValidationError

from leads.models import Contact, Lead
from leads.phones import format_phone, invalid_phone_message, normalize_phone


class PhoneField(forms.CharField):
    """A phone number typed in any format, cleaned to its stored form (leads/phones.py) and
    shown formatted. A number typed without `+` is read as dialled in `region` (the form sets
    it to its organization's `phone_region`).

    The number already `stored` (set by the form), sent back as shown, is kept as it is even
    if it is no longer a valid number (one from before numbers were checked, or from an
    import): editing something else never fails on it.
    """

    def __init__(self, *, region="US", stored=None, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)
        self.region, self.stored = region, stored

    def prepare_value(self, value):
        return format_phone(value)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        if self.stored and value in (self.stored, format_phone(self.stored)):
            return self.stored
        phone = normalize_phone(value, self.region)
        if phone is None:
            raise ValidationError(invalid_phone_message(self.region), code="invalid")
        return phone


class LeadForm(forms.ModelForm):
    url = forms.URLField(label="Website", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Lead
        fields = ["name", "url", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ContactForm(forms.ModelForm):
    """A contact of a new lead: one phone number and one email (its own page takes more)."""

    phone = PhoneField(required=False)
    email = forms.EmailField(required=False)

    class Meta:
        model = Contact
        fields = ["name", "title"]

    def __init__(self, *args, region="US", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].region = region

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

PHONE_TYPES = ["office", "mobile", "home", "direct", "fax", "other"]
EMAIL_TYPES = ["office", "home", "direct", "other"]


class ContactRow(forms.Form):
    """One of a contact's phones or emails: the value (`key`) and its type. A row left blank
    is none; each row's labels carry its number, as several rows share the page."""

    key, types = None, ()

    def __init__(self, *args, region="US", **kwargs):
        super().__init__(*args, **kwargs)
        position = self.prefix.rpartition("-")[2]
        number = int(position) + 1 if position.isdigit() else ""
        value, kind = self.fields[self.key], self.fields["type"]
        value.label = f"{self.key.capitalize()} {number}"
        kind.label = f"Type of {self.key} {number}"
        stored = self.initial.get("type")
        kind.choices = [(t, t.capitalize()) for t in self.types]
        if stored and stored not in self.types:  # a type the API was sent: kept, and offered
            kind.choices.append((stored, stored))
        if isinstance(value, PhoneField):
            value.region, value.stored = region, self.initial.get("phone")

    def item(self):
        """Return the row as the contact stores it, or None for a blank row."""
        value = self.cleaned_data.get(self.key)
        return {self.key: value, "type": self.cleaned_data["type"]} if value else None


class PhoneRow(ContactRow):
    key, types = "phone", PHONE_TYPES
    phone = PhoneField(required=False)
    type = forms.ChoiceField(initial="office")


class EmailRow(ContactRow):
    key, types = "email", EMAIL_TYPES
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    type = forms.ChoiceField(initial="office")


PhoneRows = forms.formset_factory(PhoneRow, extra=2, max_num=20, absolute_max=50)
EmailRows = forms.formset_factory(EmailRow, extra=1, max_num=20, absolute_max=50)


class ContactDetailsForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title"]


class ContactEditor:
    """A contact's page form: its name and title, and rows of phones and emails."""

    def __init__(self, data=None, *, contact=None, region="US"):
        self.form = ContactDetailsForm(data, instance=contact)
        stored = contact or Contact()
        self.phones = PhoneRows(
            data,
            prefix="phones",
            initial=[{"phone": p.get("phone"), "type": p.get("type")} for p in stored.phones],
            form_kwargs={"region": region},
        )
        self.emails = EmailRows(
            data,
            prefix="emails",
            initial=[{"email": e.get("email"), "type": e.get("type")} for e in stored.emails],
        )
        self.phones.legend, self.emails.legend = "Phones", "Emails"
        self.phones.hint = (
            f"Any format; a number without + is read as dialled in {region}. "
            "Clear a row to remove it."
        )
        self.emails.hint = "Clear a row to remove it."

    @property
    def row_sets(self):
        return [self.phones, self.emails]

    def is_valid(self):
        return all([self.form.is_valid(), self.phones.is_valid(), self.emails.is_valid()])

    @property
    def errors(self):
        return self.form.errors or any(self.phones.errors) or any(self.emails.errors)

    def contact_fields(self):
        """Return the contact's fields as `leads.services` takes them."""
        return {
            "name": self.form.cleaned_data["name"],
            "title": self.form.cleaned_data["title"],
            "phones": [item for row in self.phones if (item := row.item())],
            "emails": [item for row in self.emails if (item := row.item())],
        }

    def add_error(self, error):
        """Show a ValidationError of the services by the field it names, if the form has it."""
        add_errors(self.form, error)


def add_errors(form, error):
    """Show a ValidationError raised by a service on `form`, by field where it has the field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
