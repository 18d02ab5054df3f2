from lazyapp.tables import Order

router = [Order]
