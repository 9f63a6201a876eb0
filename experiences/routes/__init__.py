"""URL patterns of the public site, one module per part, included by experiences/urls.py."""
