"""Visits of the share form per tracking source and day: the conversion's denominator (seed 004, promotion)."""

from django.db import models


class ShareVisit(models.Model):
    """How many times the share form was opened from one source on one day: a bare counter, no cookie, no visitor."""

    source = models.CharField("source", max_length=100)
    day = models.DateField("jour")
    visits = models.PositiveIntegerField("visites", default=0)

    class Meta:
        verbose_name = "visite du formulaire de partage"
        verbose_name_plural = "visites du formulaire de partage"
        ordering = ["-day", "source"]
        constraints = [
            # Also the index of the dashboard's read: one source's days of a period.
            models.UniqueConstraint(fields=["source", "day"], name="share_visit_one_row_per_source_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.source} — {self.day:%d/%m/%Y} : {self.visits}"
