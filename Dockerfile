# Production image: gunicorn (web), celery worker and beat share it.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=relais.settings.production
WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.8
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN uv sync --frozen --no-dev \
    && SECRET_KEY=build-only-not-used-at-runtime-0123456789-abcdefghijklmnop \
       python manage.py collectstatic --noinput \
    && SECRET_KEY=build-only-not-used-at-runtime-0123456789-abcdefghijklmnop \
       python manage.py compile_translations \
    && useradd --system --uid 1000 relais && mkdir -p /srv/relais && chown relais /srv/relais
USER relais
EXPOSE 8000
CMD ["gunicorn", "relais.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "2", "--access-logfile", "-"]
