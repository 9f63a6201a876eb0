"""Views of the citizens' site, one module per part: pages, share, browse, detail, public pages."""
