from django import forms


class LinkForm(forms.Form):
    subject = forms.CharField(
        label="Council account identifier", max_length=255,
        help_text="The value of the claim above for this person's council account, for example their "
                  "object ID in Microsoft Entra ID.",
        error_messages={"required": "Enter the council account's identifier",
                        "max_length": "The identifier must be at most 255 characters"},
    )


class LinkDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve or decline the link"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed if you decline. The administrator who linked the account will see it",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The reason must be at most 1,000 characters"},
    )
    # The identifier the service manager was shown: a link changed meanwhile is not decided.
    subject = forms.CharField(widget=forms.HiddenInput, max_length=255, error_messages={
        "required": "Open the link again from the list and make your decision",
        "max_length": "Open the link again from the list and make your decision"})
