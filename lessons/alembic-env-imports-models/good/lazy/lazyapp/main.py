from lazyapp.routes import router

app = {"routes": [router]}
