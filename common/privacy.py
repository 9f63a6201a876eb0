"""Showing e-mail addresses without disclosing them (seed 001 q25: no user of the platform reads them)."""


def mask_email(email: str) -> str:
    """camille@example.org → c***@example.org: enough to recognise it, not to read it back."""
    local, at, domain = email.strip().partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"
