"""Where a shared experience came from: the campaign parameters of a banner, QR code or tracking link."""

import secrets

from django import forms

from experiences.sources import DIRECT

# Campaign parameters of banners, QR codes and tracking links: ours, then Google's and Matomo's.
SOURCE_PARAMETERS = {
    "source": ("source", "utm_source", "mtm_source", "pk_source"),
    "campaign": ("campagne", "utm_campaign", "mtm_campaign", "pk_campaign"),
    "arrival_channel": ("canal", "utm_medium", "mtm_medium", "pk_medium"),
}
TRACKING_MAX_LENGTH = 100


def tracking_from(query) -> dict[str, str]:
    """source / campaign / arrival channel from the link's parameters; « direct » without any."""
    found = {}
    for name, parameters in SOURCE_PARAMETERS.items():
        value = next((query.get(p) for p in parameters if query.get(p, "").strip()), "")
        found[name] = " ".join(value.split())[:TRACKING_MAX_LENGTH]
    found["source"] = found["source"] or DIRECT
    found["token"] = secrets.token_urlsafe(16)
    return found


class TrackingField(forms.CharField):
    """A hidden campaign parameter: anything odd is cut, never refused (the citizen cannot fix it)."""

    def __init__(self):
        super().__init__(required=False, widget=forms.HiddenInput)

    def clean(self, value):
        return " ".join(str(value or "").split())[:TRACKING_MAX_LENGTH]
