# Production image: gunicorn serves the app, whitenoise the static files; the same image runs worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 curl procps \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install . \
    && useradd --system --uid 1000 spplus \
    && mkdir -p var/static var/media var/private var/mail && chown -R spplus var
USER spplus
# collectstatic needs no database; DEBUG=false selects the hashed, compressed manifest storage.
RUN DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --noinput

EXPOSE 8000
CMD ["gunicorn", "spplus.wsgi", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
