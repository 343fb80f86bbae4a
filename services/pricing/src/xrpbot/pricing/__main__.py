"""`python -m xrpbot.pricing [serve|migrate]`."""

from xrpbot.runtime.cli import run_cli

from .app import MIGRATIONS, create_service
from .config import PricingSettings

if __name__ == "__main__":
    run_cli("pricing", PricingSettings, create_service, MIGRATIONS)
