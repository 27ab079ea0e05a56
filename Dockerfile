# One image for every What Matters process (Rasa, actions, web, migrations).
# Build: docker build -t whatmatters .   (the model is trained at build time)
FROM python:3.10-slim
WORKDIR /app
ENV PYTHONUNBUFFERED=1 RASA_TELEMETRY_ENABLED=false
COPY pyproject.toml constraints.txt README.md ./
COPY bot ./bot
COPY actions ./actions
RUN pip install --no-cache-dir -c constraints.txt . && python -m bot.language.install
COPY config.yml domain.yml credentials.yml endpoints.yml ./
COPY data ./data
RUN whatmatters model ensure
# Listen on all interfaces inside the container; the network policy decides who can reach it.
ENV WM_RASA_HOST=0.0.0.0 WM_ACTIONS_HOST=0.0.0.0 WM_WEB_HOST=0.0.0.0
# One NumPy and one TensorFlow thread per server, as the launcher gives them (bot/launcher.py: ONE_THREAD_EACH); set
# after training, which keeps every core.
ENV OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 \
    TF_INTRA_OP_PARALLELISM_THREADS=1 TF_INTER_OP_PARALLELISM_THREADS=1
CMD ["python", "-m", "bot.web"]
