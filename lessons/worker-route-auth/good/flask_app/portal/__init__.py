from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)
    from portal.admin import admin_bp
    from portal.sign_in import sign_in_bp
    from portal.views import bp

    app.register_blueprint(bp, url_prefix="/portal")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(sign_in_bp)
    return app
