# Image for the multi-machine deployment (platform/compose.yaml); the embedded default
# (`make run`) does not need it.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /srv/platform/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DJANGO_SECRET_KEY=build-only-build-only-build-only-build-only-build-only DJANGO_ALLOWED_HOSTS=build-only \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    STATIC_ROOT=/srv/platform/static python manage.py collectstatic --noinput
CMD ["gunicorn", "config.wsgi", "--config", "platform/gunicorn.conf.py", "--bind", "0.0.0.0:8000"]
