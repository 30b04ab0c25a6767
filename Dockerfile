# syntax=docker/dockerfile:1
# Clearsite: one image for every role (api, bot, notifier, migrate). Multi-stage, slim, non-root.

FROM python:3.11-slim AS build
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml ./
# Install only the runtime dependencies; the source runs from /app (migrations and catalogs
# live beside the packages).
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install -r requirements.txt
COPY core ./core
COPY api ./api
COPY bot ./bot
COPY notifier ./notifier
COPY clearsite ./clearsite
COPY sandbox ./sandbox
COPY botapi_emulator ./botapi_emulator
COPY migrations ./migrations
COPY locales ./locales
COPY alembic.ini ./
RUN python -c "from bot.ui.i18n import compile_catalogs; compile_catalogs()"

FROM python:3.11-slim
RUN groupadd --system --gid 10001 clearsite \
    && useradd --system --uid 10001 --gid clearsite --home-dir /app --shell /usr/sbin/nologin clearsite \
    && mkdir -p /data && chown clearsite:clearsite /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=root:root /src /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/clearsite.db \
    API_HOST=0.0.0.0
WORKDIR /data
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('API_PORT', '8000') + '/health', timeout=4)"]
ENTRYPOINT ["python", "-m", "clearsite"]
CMD ["run"]
