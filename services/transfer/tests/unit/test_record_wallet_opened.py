"""Transfer learns custodial addresses from wallet.opened, once per event."""

from __future__ import annotations

from typing import Any

from xrpbot.schemas import Actor, CreateWallet, WalletOpened
from xrpbot.transfer import use_cases
from xrpbot.transfer.domain import CustodialAccount
from xrpbot.transfer.use_cases import TransferDeps


class FakeUow:
    def __init__(self, accounts: dict[str, CustodialAccount], inbox: set[Any]) -> None:
        self.data, self.inbox = accounts, inbox
        self.accounts = self
        self.committed = False

    async def add(self, account: CustodialAccount) -> None:
        self.data.setdefault(account.address, account)

    async def find(self, address: str) -> CustodialAccount | None:
        return self.data.get(address)

    async def __aenter__(self) -> FakeUow:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def claim(self, message: Any) -> bool:
        if message.event_id in self.inbox:
            return False
        self.inbox.add(message.event_id)
        return True

    async def commit(self) -> None:
        self.committed = True


async def test_records_the_address_with_its_owner_once() -> None:
    accounts: dict[str, CustodialAccount] = {}
    inbox: set[Any] = set()
    deps = TransferDeps(new_uow=lambda: FakeUow(accounts, inbox))  # type: ignore[arg-type,return-value]
    cmd = CreateWallet.new(user=Actor(telegram_id=5, username="eve"), chat_id=5)
    event = WalletOpened.replying_to(cmd, address="rEXAMPLEaddress")
    await use_cases.record_wallet_opened(event, deps)
    await use_cases.record_wallet_opened(event, deps)
    assert list(accounts) == ["rEXAMPLEaddress"]
    assert accounts["rEXAMPLEaddress"].telegram_id == 5
    assert accounts["rEXAMPLEaddress"].username == "eve"
