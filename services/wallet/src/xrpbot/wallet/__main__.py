"""`python -m xrpbot.wallet [serve|migrate]`."""

from xrpbot.runtime.cli import run_cli

from .app import MIGRATIONS, create_service
from .config import WalletSettings

if __name__ == "__main__":
    run_cli("wallet", WalletSettings, create_service, MIGRATIONS)
