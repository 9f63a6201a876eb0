"""The author's correction of an experience the moderators sent back (from the signed link)."""

from django import forms

from experiences.forms.share import ShareExperienceForm


class AuthorEditForm(forms.Form):
    """The author corrects the title and text the moderators sent back, with the share form's rules."""

    title = ShareExperienceForm.base_fields["title"]
    description = ShareExperienceForm.base_fields["description"]
