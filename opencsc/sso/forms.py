from django import forms


class LinkForm(forms.Form):
    subject = forms.CharField(
        label="Council account identifier", max_length=255,
        help_text="The value of the claim above for this person's council account, for example their "
                  "object ID in Microsoft Entra ID.",
        error_messages={"required": "Enter the council account's identifier",
                        "max_length": "The identifier must be at most 255 characters"},
    )
