# AuthenticationMiddleware only says who is calling; it refuses nobody.
ROOT_URLCONF = "shop.urls"
SECRET_KEY = "dev-only"
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}
