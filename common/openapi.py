"""drf-spectacular post-processing: the error answers every API operation can give, documented once."""

ERROR_BODY = {
    "type": "object",
    "description": "Le détail de l'erreur : `detail`, ou pour un filtre invalide la liste des messages par paramètre.",
    "additionalProperties": True,
}
ERRORS = {
    "400": "Paramètre invalide (filtre, tri, curseur ou numéro de page illisible).",
    "404": "Introuvable : identifiant inconnu, ou page au-delà de la dernière.",
    "429": "Trop de requêtes : l'en-tête Retry-After dit dans combien de secondes revenir.",
}
RETRY_AFTER = {
    "Retry-After": {"description": "Secondes à attendre avant une nouvelle requête.", "schema": {"type": "integer"}}
}


def document_error_responses(result: dict, generator, request, public) -> dict:
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                answer = {"description": description, "content": {"application/json": {"schema": ERROR_BODY}}}
                if status == "429":
                    answer["headers"] = RETRY_AFTER
                responses.setdefault(status, answer)
    return result
