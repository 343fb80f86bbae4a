"""The gateway's pure values and rules: no aiogram, asyncpg, httpx or FastStream in here."""
