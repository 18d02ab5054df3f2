import os

DATABASE_URL = os.environ["SHOP_DATABASE_URL"]
