"""The ledger every xrpl test works on, its JSON-RPC URL, and the genesis wallet."""

from __future__ import annotations

import pytest
from xrpl.wallet import Wallet

from xrpbot.sandbox.testing import RippledStandIn
from xrpbot.sandbox.xrpl.constants import GENESIS_SEED
from xrpbot.sandbox.xrpl.engine import LedgerEngine


@pytest.fixture
def engine(ledger_engine: LedgerEngine) -> LedgerEngine:
    """The test's ledger: the one `rippled` and `faucet` serve."""
    return ledger_engine


@pytest.fixture
def rpc_url(rippled: RippledStandIn) -> str:
    """The JSON-RPC endpoint over `engine`."""
    return rippled.url


@pytest.fixture(scope="module")
def genesis() -> Wallet:
    """The genesis account's wallet (secret "masterpassphrase")."""
    return Wallet.from_seed(GENESIS_SEED)
