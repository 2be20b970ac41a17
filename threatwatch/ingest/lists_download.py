"""Download of sanctions list files over HTTP: bytes in, nothing parsed or stored here."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from threatwatch.errors import SourceError

OFFICIAL_LIST_URLS: dict[str, dict[str, str]] = {
    "un_sc": {
        "UN_consolidated.xml": "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
    },
    "us_ofac_sdn": {
        "sdn.csv": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV",
        "alt.csv": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ALT.CSV",
        "add.csv": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADD.CSV",
        "sdn_comments.csv": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_COMMENTS.CSV",
    },
}
"""The lists' official download addresses, by list and file name; the CLI lets users override them."""

MAX_BYTES = 200 * 1024 * 1024


def download_files(client: httpx.Client, urls: Mapping[str, str]) -> dict[str, bytes]:
    """Fetch each URL and return {file name: content}.

    Raises:
        SourceError: a request fails, returns a non-2xx status, or an empty or huge body.
    """
    files: dict[str, bytes] = {}
    for name, url in urls.items():
        try:
            response = client.get(url, follow_redirects=True)
        except httpx.HTTPError as exc:
            raise SourceError(
                f"Cannot download {name!r} from {url!r}: {exc}; check the URL and network"
            ) from exc
        if response.status_code >= 400:
            raise SourceError(
                f"Download of {name!r} from {url!r} failed with HTTP {response.status_code}; "
                "check the URL (lists update --url)"
            )
        content = response.content
        if not content:
            raise SourceError(f"Download of {name!r} from {url!r} returned an empty body")
        if len(content) > MAX_BYTES:
            raise SourceError(f"Download of {name!r} from {url!r} is larger than {MAX_BYTES} B")
        files[name] = content
    return files
