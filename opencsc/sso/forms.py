from django import forms

from opencsc.accounts.forms import ApprovalDecisionForm


class LinkForm(forms.Form):
    subject = forms.CharField(
        label="Council account identifier", max_length=255,
        help_text="The value of the claim above for this person's council account, for example their "
                  "object ID in Microsoft Entra ID.",
        error_messages={"required": "Enter the council account's identifier",
                        "max_length": "The identifier must be at most 255 characters"},
    )


class LinkDecisionForm(ApprovalDecisionForm):
    """The approval decision of accounts' requests, about a link, with the identifier the manager was shown."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["required"] = "Select whether you approve or decline the link"
        self.fields["reason"].help_text = "Needed if you decline. The administrator who linked the account will see it"
        self.fields["reason"].error_messages["max_length"] = "The reason must be at most 1,000 characters"

    # The identifier the service manager was shown: a link changed meanwhile is not decided.
    subject = forms.CharField(widget=forms.HiddenInput, max_length=255, error_messages={
        "required": "Open the link again from the list and make your decision",
        "max_length": "Open the link again from the list and make your decision"})
