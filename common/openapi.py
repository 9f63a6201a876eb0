"""drf-spectacular post-processing: the error answers every operation can give, and the French descriptions of
what the pagination and the URLs add around the serializers (the schema describes every field in French)."""

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


PAGINATION_FIELDS = {
    "count": "Nombre total de lignes répondant aux filtres.",
    "next": "Adresse de la page suivante ; vide sur la dernière.",
    "previous": "Adresse de la page précédente ; vide sur la première.",
    "results": "Les lignes de cette page.",
}
PATH_PARAMETER = "Identifiant de la ligne : son code SP+, ou pour une expérience son identifiant SP+."


def describe_in_french(result: dict, generator, request, public) -> dict:
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.startswith("Paginated"):
            for field, spec in component.get("properties", {}).items():
                spec.setdefault("description", PAGINATION_FIELDS.get(field, ""))
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and not parameter.get("description"):
                    parameter["description"] = PATH_PARAMETER
    return result
