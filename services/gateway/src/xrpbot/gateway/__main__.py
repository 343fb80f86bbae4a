"""`python -m xrpbot.gateway [serve|migrate]`."""

from xrpbot.runtime.cli import run_cli

from .app import MIGRATIONS, create_service
from .config import GatewaySettings

if __name__ == "__main__":
    run_cli("gateway", GatewaySettings, create_service, MIGRATIONS)
