"""`python -m xrpbot.transfer [serve|migrate]`."""

from xrpbot.runtime.cli import run_cli

from .app import MIGRATIONS, create_service
from .config import TransferSettings

if __name__ == "__main__":
    run_cli("transfer", TransferSettings, create_service, MIGRATIONS)
