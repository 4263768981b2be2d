"""Rule messages that name a choice: by its label where a person reads them, by its value in
the API.

A model rule raises, say, `ValidationError("%(disposition)s is only possible on inbound calls.",
params={"disposition": NamedChoice(Call.Disposition.VM_ANSWER)})`. The pages and the admin
render it as Django does (`str()` of the param), in the words of their forms: “Voicemail, no
message” is only possible on inbound calls. The API (api/errors.py) renders each param by its
`api_text` where it has one, in the values its clients send: vm-answer is only possible on
inbound calls (`api.errors.messages_in_values`). So does an import's error file, whose cells
hold those values.
"""


class NamedChoice:
    """A member of a model's `TextChoices`, as a rule's message names it."""

    def __init__(self, choice):
        self.choice = choice

    def __str__(self):
        return f"“{self.choice.label}”"

    @property
    def api_text(self):
        return self.choice.value
