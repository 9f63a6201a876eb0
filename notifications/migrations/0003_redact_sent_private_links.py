"""Remove the token of every private link from e-mails sent before links were redacted at sending."""

import re

from django.db import migrations

# Frozen here as they were when this ran: the kinds whose link is a credential, and where their token sits
# (password reset /agents/mot-de-passe/<uid>/<token>/, evaluation and correction links' signed value).
PRIVATE_KINDS = ["password_reset", "experience_to_modify", "response_published", "response_modified"]
TOKEN = re.compile(r"(/(?:agents/mot-de-passe/[^/\s\"'<>]+|experiences/(?:evaluer|modifier))/)[^/\s\"'<>]+/?")
REDACTED = r"\1lien-retire-apres-envoi/"
BATCH = 500


def redact_sent(apps, schema_editor):
    OutboxEmail = apps.get_model("notifications", "OutboxEmail")
    sent = OutboxEmail.objects.filter(kind__in=PRIVATE_KINDS, status="sent").only("pk", "body_text", "body_html")
    batch = []
    for email in sent.iterator(chunk_size=BATCH):
        text, html = TOKEN.sub(REDACTED, email.body_text), TOKEN.sub(REDACTED, email.body_html)
        if (text, html) != (email.body_text, email.body_html):
            email.body_text, email.body_html = text, html
            batch.append(email)
        if len(batch) >= BATCH:
            OutboxEmail.objects.bulk_update(batch, ["body_text", "body_html"])
            batch = []
    OutboxEmail.objects.bulk_update(batch, ["body_text", "body_html"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_outbox_private_links")]

    # Nothing to put back: the tokens are gone, and expired by now.
    operations = [migrations.RunPython(redact_sent, migrations.RunPython.noop, elidable=True)]
