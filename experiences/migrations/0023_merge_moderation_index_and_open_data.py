"""Joins two migrations written side by side on 0021 (the moderation queue's index, the open data fields):
both were merged into main, and other databases may have applied either one first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0022_moderation_queue_index_both_states"),
        ("experiences", "0022_open_data_fields"),
    ]

    operations = []
