# The app's image: the package with its PostgreSQL driver on python:3.11-slim, run by a user
# that is not root. One container is one replica; compose.yaml runs two behind nginx
# (docs/deploy.md). Without PSA_DATABASE_URL it keeps a SQLite file in /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The pinned dependencies first (requirements.lock: the app and its PostgreSQL driver, each
# file checked against its hash), then the package without dependencies, so that a change
# to the code alone reinstalls neither.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY assessment ./assessment
COPY scoring ./scoring
COPY charts ./charts
COPY app_pages ./app_pages
COPY questions ./questions
COPY locales ./locales
RUN pip install --no-deps .

# The entry script, its page scripts and Streamlit's settings (the theme, upload size).
COPY app.py ./
COPY views ./views
COPY .streamlit ./.streamlit

RUN useradd --create-home --uid 10001 psa \
    && mkdir /data && chown psa /data
USER psa
ENV PSA_DB_PATH=/data/psa.sqlite3
VOLUME /data
EXPOSE 8501

HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2).read() != b'ok')"]

CMD ["streamlit", "run", "app.py", "--server.address", "0.0.0.0", "--server.port", "8501", \
     "--server.headless", "true", "--browser.gatherUsageStats", "false", \
     "--server.fileWatcherType", "none"]
