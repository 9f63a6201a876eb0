"""The count of personal data spotted in an experience's text, for the moderation queue.

A constant default: PostgreSQL adds the column without rewriting the million rows. Only the experiences
still waiting for a moderator are counted (0026); published or rejected ones are no longer moderated.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('experiences', '0024_assignment_unanswered_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='experience',
            name='personal_data_flags',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='données personnelles repérées'),
        ),
    ]
