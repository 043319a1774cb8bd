"""The bare "hello" app the benchmark measures next to Jiangxin, under the same gunicorn command, so
every page's req/s reads as a share of what the machine serves with no work at all."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "hello"
