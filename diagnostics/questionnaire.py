"""The first questionnaire, data/questionnaire_v1.json, loaded into the database; models come as arguments so the
data migration can call it (and browser tests, whose live server empties every table, load it again)."""

import json
from pathlib import Path

QUESTIONNAIRE_V1 = Path(__file__).resolve().parent / "data" / "questionnaire_v1.json"


def load_questionnaire(version_model, question_model, path: Path = QUESTIONNAIRE_V1):
    """Create the file's version, published, with its questions keyed « commitment.order »; a no-op if present."""
    data = json.loads(path.read_text(encoding="utf-8"))
    version = version_model.objects.filter(number=data["number"]).first()
    if version is not None:
        return version
    version = version_model.objects.create(number=data["number"], title=data["title"], is_published=True)
    orders: dict[int, int] = {}
    questions = []
    for item in data["questions"]:
        order = orders[item["commitment"]] = orders.get(item["commitment"], 0) + 1
        questions.append(
            question_model(
                version=version,
                commitment=item["commitment"],
                order=order,
                key=f"{item['commitment']}.{order}",
                text=item["text"],
                help_text=item["help"],
                concerns_network=item["network"],
            )
        )
    # bulk_create: Question.save refuses to touch a frozen version, which a new one never is.
    question_model.objects.bulk_create(questions)
    return version
