ROOT_URLCONF = "orders.urls"
SECRET_KEY = "dev-only"
