"""What visitors and the author say back: votes on answers, the author's evaluation, « moi aussi »."""

from django.db import models

from .experience import Experience
from .responses import Response


class ResponseVote(models.Model):
    """A visitor's « utile / pas utile » on a response, once per visitor (seed 000)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="votes", verbose_name="réponse")
    # A keyed hash of the visitor's session: counts once per visitor without storing who they are.
    visitor_key = models.CharField("visiteur (empreinte)", max_length=64)
    is_useful = models.BooleanField("utile")
    created_at = models.DateTimeField("votée le", auto_now_add=True)

    class Meta:
        verbose_name = "évaluation d'un visiteur"
        verbose_name_plural = "évaluations des visiteurs"
        constraints = [
            models.UniqueConstraint(fields=["response", "visitor_key"], name="vote_once_per_visitor"),
        ]

    def __str__(self) -> str:
        return "utile" if self.is_useful else "pas utile"


class AuthorEvaluation(models.Model):
    """The author's own verdict on a response, given once from a signed link (seed 000)."""

    response = models.OneToOneField(
        Response, on_delete=models.CASCADE, related_name="author_evaluation", verbose_name="réponse"
    )
    is_useful = models.BooleanField("utile")
    created_at = models.DateTimeField("évaluée le", auto_now_add=True)

    class Meta:
        verbose_name = "évaluation de l'auteur"
        verbose_name_plural = "évaluations des auteurs"

    def __str__(self) -> str:
        return "utile" if self.is_useful else "pas utile"


class MeToo(models.Model):
    """A visitor's « moi aussi » on an experience, once per visitor."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="me_toos", verbose_name="expérience"
    )
    visitor_key = models.CharField("visiteur (empreinte)", max_length=64)
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "« moi aussi »"
        verbose_name_plural = "« moi aussi »"
        constraints = [
            models.UniqueConstraint(fields=["experience", "visitor_key"], name="me_too_once_per_visitor"),
        ]

    def __str__(self) -> str:
        return f"moi aussi — {self.experience_id}"
