"""`python -m xrpbot.gateway [serve|migrate|set-webhook|delete-webhook]`."""

import sys

from xrpbot.runtime.cli import run_cli

from .app import MIGRATIONS, create_service
from .cli import COMMANDS, main
from .config import GatewaySettings

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in COMMANDS:
        raise SystemExit(main(sys.argv[1:]))
    run_cli("gateway", GatewaySettings, create_service, MIGRATIONS)
