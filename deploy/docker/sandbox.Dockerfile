# syntax=docker/dockerfile:1
# The sandbox's offline stand-ins (Telegram Bot API, XRPL, CoinGecko) for demos and tests only,
# never for a deployment. Build from the repository root:
#   docker build -f deploy/docker/sandbox.Dockerfile -t xrpbot-sandbox .
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.8

FROM ${UV_IMAGE} AS uv

FROM ${PYTHON_IMAGE} AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=0 \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --frozen --no-dev --no-install-workspace --package xrpbot-sandbox
COPY pyproject.toml uv.lock ./
COPY sandbox/ sandbox/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package xrpbot-sandbox \
    && /app/.venv/bin/python -m compileall -q sandbox/src

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 xrpbot \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin xrpbot
WORKDIR /app
COPY --from=build --chown=root:root /app /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SANDBOX_HOST=0.0.0.0
USER 10001:10001
EXPOSE 8081 5005 5006 8082
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import socket; socket.create_connection(('127.0.0.1', 8081), 3).close()"]
ENTRYPOINT ["python", "-m", "xrpbot.sandbox"]
