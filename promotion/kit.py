"""The promotion kit of a structure (seed 004, « leviers pour déployer et promouvoir le dispositif »):
tracking links to the share form, DSFR-styled banners, QR codes at print sizes and the A4 poster.

Every link carries the structure's tracking key (seed 000, « Clé de tracking ») as its source, so the
dashboard's sources section groups what came through it; the medium goes in the arrival channel.
"""

import io
from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from common.pdf import render_pdf
from structures.models import Structure


class Medium:
    BANNER = "banniere"
    QR_CODE = "qr-code"
    SIGNATURE = "signature"
    SITE_LINK = "lien"
    POSTER = "affiche"


MEDIUM_LABELS = {
    Medium.BANNER: "Bannière web",
    Medium.QR_CODE: "QR code",
    Medium.SIGNATURE: "Signature d'e-mail",
    Medium.SITE_LINK: "Lien sur un site",
    Medium.POSTER: "Affiche",
}
LINK_MEDIUMS = (Medium.SITE_LINK, Medium.SIGNATURE, Medium.BANNER, Medium.QR_CODE, Medium.POSTER)


@dataclass(frozen=True)
class BannerSize:
    key: str
    label: str
    width: int
    height: int
    with_qr: bool = False


# Standard web advertising sizes (IAB): the sites of the networks have slots of these sizes.
BANNER_SIZES = (
    BannerSize("horizontale", "Bannière horizontale", 728, 90),
    BannerSize("pave", "Pavé", 300, 250, with_qr=True),
    BannerSize("mobile", "Bannière mobile", 320, 100),
)


@dataclass(frozen=True)
class QrSize:
    key: str
    label: str
    millimetres: int


# Printed sizes: a sticker on a desk, a flyer, a wall poster. Below 2 cm phones struggle to read the code.
QR_SIZES = (QrSize("3cm", "3 × 3 cm", 30), QrSize("5cm", "5 × 5 cm", 50), QrSize("10cm", "10 × 10 cm", 100))
QR_FORMATS = ("svg", "png")
PNG_DPI = 300
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules


def tracking_source(structure: Structure) -> str:
    """The source a structure's links carry: its tracking key, else its SP+ code (unique too)."""
    return structure.tracking_key or structure.code


def tracking_url(structure: Structure, medium: str, campaign: str = "") -> str:
    """The absolute link to the share form for `medium`, with the source, channel and campaign parameters the
    form records (experiences.forms.tracking)."""
    parameters = {"source": tracking_source(structure), "canal": medium}
    if campaign:
        parameters["campagne"] = campaign
    return f"{settings.SITE_URL.rstrip('/')}{reverse('experiences:share')}?{urlencode(parameters)}"


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error="m")


def qr_file(url: str, kind: str, size: QrSize) -> bytes:
    """The QR code of `url` as SVG (sized in millimetres) or PNG (at PNG_DPI), `size.millimetres` wide."""
    code = qr_code(url)
    modules = code.symbol_size(scale=1, border=QR_BORDER)[0]
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=size.millimetres / modules, unit="mm", border=QR_BORDER, xmldecl=False)
    else:
        pixels = size.millimetres / 25.4 * PNG_DPI
        code.save(buffer, kind="png", scale=max(1, round(pixels / modules)), border=QR_BORDER, dpi=PNG_DPI)
    return buffer.getvalue()


def qr_data_uri(url: str) -> str:
    return qr_code(url).svg_data_uri(scale=4, border=QR_BORDER)


def banner_html(structure: Structure, size: BannerSize, campaign: str = "") -> SafeString:
    """The snippet a webmaster pastes: self-contained (inline styles, QR code as a data URI), nothing to host."""
    url = tracking_url(structure, Medium.BANNER, campaign)
    html = render_to_string(
        "promotion/banner.html",
        {"url": url, "size": size, "qr": qr_data_uri(url) if size.with_qr else ""},
    )
    # Rendered with autoescaping from our own values: safe to show as the live preview.
    return mark_safe(" ".join(html.split()))  # noqa: S308


def poster_pdf(structure: Structure, campaign: str = "") -> bytes:
    """The A4 poster for reception desks, with the seed 004 call to action around the QR code."""
    url = tracking_url(structure, Medium.POSTER, campaign)
    return render_pdf("promotion/poster.html", {"structure": structure, "url": url, "qr": qr_data_uri(url)})
