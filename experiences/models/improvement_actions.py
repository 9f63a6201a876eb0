"""The link between an experience and the improvement actions that follow it (seed 000: « avec action
engagée / réalisée »). It belongs to the experiences' side so that the actions app imports no experience."""

from django.db import models

from .experience import Experience


class ImprovementActionLink(models.Model):
    # Field names, table and columns are those of the many-to-many table Django made when the action
    # held the relation: experiences.0021 declares this model over it without touching a row.
    improvementaction = models.ForeignKey(
        "actions.ImprovementAction", on_delete=models.CASCADE, related_name="+", verbose_name="action d'amélioration"
    )
    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="+", verbose_name="expérience")

    class Meta:
        db_table = "experiences_improvementaction_experiences"
        unique_together = [("improvementaction", "experience")]
        verbose_name = "lien entre une expérience et une action d'amélioration"
        verbose_name_plural = "liens entre expériences et actions d'amélioration"

    def __str__(self) -> str:
        return f"{self.experience_id} → {self.improvementaction_id}"
