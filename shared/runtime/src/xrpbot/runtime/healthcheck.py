"""`python -m xrpbot.runtime.healthcheck [PORT] [PATH]`: exit 0 when the service's probe answers 200.

For container HEALTHCHECKs (the images have no curl): HTTP_PORT wins over PORT, PATH defaults
to /healthz (liveness: the process and its loop answer).
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

__all__ = ["main"]


def main(argv: list[str]) -> int:
    """Probe http://127.0.0.1:<port><path>; 0 if it answered 200, 1 otherwise."""
    port = os.environ.get("HTTP_PORT") or (argv[0] if argv else "8080")
    path = argv[1] if len(argv) > 1 else "/healthz"
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{int(port)}{path}", timeout=3) as resp:
            return 0 if resp.status == 200 else 1
    except (OSError, ValueError, urllib.error.URLError):
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
