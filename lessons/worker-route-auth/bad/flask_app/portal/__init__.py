from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)
    from portal.views import bp

    app.register_blueprint(bp, url_prefix="/portal")
    return app
